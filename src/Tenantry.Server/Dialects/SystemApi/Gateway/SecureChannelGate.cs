using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Tenantry.Application.SecureChannels;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.Envelope;

namespace Tenantry.Server.Dialects.SystemApi.Gateway;

/// <summary>Marks an endpoint that plain mutations may reach even when the channel is required (the handshake).</summary>
public sealed class SecureChannelExempt
{
    public static readonly SecureChannelExempt Instance = new();
}

/// <summary>This request arrived over a secure channel: the envelope's <c>data</c> is sealed with <see cref="Key"/>.</summary>
public sealed record SecureChannelSession(string ChannelId, byte[] Key) : IEnvelopeDataSealer
{
    public void WriteSealed(Utf8JsonWriter writer, byte[] plaintext)
    {
        var sealedData = SecureChannelCrypto.Seal(Key, plaintext);
        writer.WriteStartObject();
        writer.WriteString("iv", sealedData.Iv);
        writer.WriteString("ciphertext", sealedData.Ciphertext);
        writer.WriteString("tag", sealedData.Tag);
        writer.WriteEndObject();
    }
}

/// <summary>
/// The SYSTEM gateway's secure channel (CONTRACT 3). A mutation carrying
/// <c>X-Secure-Channel</c> is decrypted here, before model binding: its body
/// <c>{"iv","ciphertext","tag"}</c> is replaced by the plaintext JSON, and the answer's
/// <c>data</c> is encrypted on the way out (<see cref="EnvelopeWriter"/>). Unknown or
/// expired channel, malformed or tampered message, or an IV used before on the channel:
/// 400 <c>GATEWAY.SECURE_CHANNEL_INVALID</c>. When the gateway requires the channel, a
/// plain mutation is refused with 403 <c>GATEWAY.SECURE_CHANNEL_REQUIRED</c>.
/// </summary>
public sealed class SecureChannelGate(RequestDelegate next, IOptions<TenantryOptions> options)
{
    public const string Header = "X-Secure-Channel";

    private readonly bool _required = options.Value.Gateway.RequireSecureChannel;

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (IsSafe(request.Method) || !request.Path.StartsWithSegments(SystemDialect.Prefix))
        {
            return next(http);
        }
        if (request.Headers[Header].ToString() is { Length: > 0 } channelId)
        {
            return DecryptAsync(http, channelId);
        }
        if (_required && http.GetEndpoint()?.Metadata.GetMetadata<SecureChannelExempt>() is null)
        {
            return GatewayErrors.SecureChannelRequired.WriteAsync(http);
        }
        return next(http);
    }

    // Anything that is not a read is a mutation, unknown methods included.
    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private async Task DecryptAsync(HttpContext http, string channelId)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        // Resolved here, not per request: only secure-channel requests lease a database context.
        var open = http.RequestServices.GetRequiredService<OpenSecureMessageHandler>();
        if (!TryReadMessage(body.GetBuffer().AsSpan(0, (int)body.Length), out var iv, out var ciphertext, out var tag)
            || await open.HandleAsync(channelId, iv, ciphertext, tag, http.RequestAborted) is not { } message)
        {
            await GatewayErrors.SecureChannelInvalid.WriteAsync(http);
            return;
        }

        http.Request.Body = new MemoryStream(message.Plaintext, writable: false);
        http.Request.ContentLength = message.Plaintext.Length;
        http.Request.ContentType = "application/json";
        // An empty plaintext is a request without a body (an accept without a token, say), as it would be in plain text.
        http.Features.Set<IHttpRequestBodyDetectionFeature>(new PlaintextBody(message.Plaintext.Length > 0));
        http.Features.Set<IEnvelopeDataSealer>(new SecureChannelSession(channelId, message.Key));
        await next(http);
    }

    /// <summary>Reads <c>{"iv","ciphertext","tag"}</c> (base64 strings); false for anything else.</summary>
    private static bool TryReadMessage(ReadOnlySpan<byte> json, out byte[] iv, out byte[] ciphertext, out byte[] tag)
    {
        iv = ciphertext = tag = [];
        string? ivText = null, ciphertextText = null, tagText = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }
                var value = reader.GetString();
                switch (name)
                {
                    case "iv" when ivText is null:
                        ivText = value;
                        break;
                    case "ciphertext" when ciphertextText is null:
                        ciphertextText = value;
                        break;
                    case "tag" when tagText is null:
                        tagText = value;
                        break;
                    default:
                        return false;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8 cannot be read as text.
            return false;
        }
        return ivText is not null && ciphertextText is not null && tagText is not null
            && TryBase64(ivText, out iv) && TryBase64(ciphertextText, out ciphertext) && TryBase64(tagText, out tag);
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }
        bytes = [];
        return false;
    }
}

/// <summary>Whether the decrypted request has a body: endpoints with an optional body bind nothing from an empty one.</summary>
internal sealed class PlaintextBody(bool canHaveBody) : IHttpRequestBodyDetectionFeature
{
    public bool CanHaveBody => canHaveBody;
}
