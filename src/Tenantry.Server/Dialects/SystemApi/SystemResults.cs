using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Localization;
using Tenantry.Application.SecureChannels;
using Tenantry.Domain.Common;
using Tenantry.Server.Json;
using Tenantry.Server.Localization;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi;

/// <summary>How SYSTEM endpoints answer: always the envelope, success or error.</summary>
public static class SystemResults
{
    public static IResult Ok<T>(T data) => new SystemResult<T>(StatusCodes.Status200OK, "2000", null, null, data, null);

    /// <summary>Success with <c>data</c> already serialized (JSON).</summary>
    public static IResult OkJson(byte[] data) => new SystemJsonResult(data);

    /// <summary>A success that is not the plain <c>2000</c> (an MFA challenge instead of tokens): its own code and message.</summary>
    public static IResult Ok<T>(T data, string code, string messageKey) => new SystemResult<T>(StatusCodes.Status200OK, code, messageKey, null, data, null);

    public static IResult Error(DomainError error) => SystemErrors.Describe(error).ToResult();

    /// <summary>The use case's value through <paramref name="toWire"/>, or its error.</summary>
    public static IResult From<TValue, TWire>(Result<TValue> result, Func<TValue, TWire> toWire) =>
        result.IsSuccess ? Ok(toWire(result.Value)) : Error(result.Error);

    public static IResult From(Result result) => result.IsSuccess ? Ok<object?>(null) : Error(result.Error);
}

/// <summary>An envelope answer; the message is localized and the version read from the endpoint when it executes.</summary>
internal sealed class SystemResult<T>(
    int status, string code, string? messageKey, IReadOnlyDictionary<string, object>? messageArguments, T? data, TimeSpan? retryAfter) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var message = messageKey is null ? "SUCCESS" : httpContext.RequestServices.GetRequiredService<IStringLocalizer<Messages>>().Text(messageKey, messageArguments);
        if (retryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return SystemEnvelopeWriter.WriteAsync(httpContext, status, code, message, data, SystemJsonContext.TypeInfo<T>());
    }
}

/// <summary>A success whose <c>data</c> was serialized earlier (see <see cref="AnswerJson.Serialize{T}"/>).</summary>
internal sealed class SystemJsonResult(byte[] data) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) =>
        SystemEnvelopeWriter.WriteAsync(httpContext, StatusCodes.Status200OK, "2000", "SUCCESS", writer => writer.WriteRawValue(data, skipInputValidation: true));
}

/// <summary>Writes <c>{version, timestamp, success, code, message, data}</c> straight to the response.</summary>
public static class SystemEnvelopeWriter
{
    public static Task WriteAsync<T>(HttpContext http, int status, string code, string message, T? data, JsonTypeInfo<T> dataType) =>
        WriteAsync(http, status, code, message, data is null ? null : writer => JsonSerializer.Serialize(writer, data, dataType));

    /// <summary>The envelope around <paramref name="writeData"/> (null: <c>"data": null</c>).</summary>
    internal static async Task WriteAsync(HttpContext http, int status, string code, string message, Action<Utf8JsonWriter>? writeData)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();

        await using (var writer = new Utf8JsonWriter(response.BodyWriter, AnswerJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("version", ApiVersion.Of(http).Version);
            writer.WriteNumber("timestamp", clock.GetUtcNow().ToUnixTimeMilliseconds());
            writer.WriteBoolean("success", status < 400);
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WritePropertyName("data");
            if (writeData is null)
            {
                writer.WriteNullValue();
            }
            else if (http.Features.Get<SecureChannelSession>() is { } channel)
            {
                // The request came over the secure channel: so does the answer's data.
                var sealedData = SecureChannelCrypto.Seal(channel.Key, AnswerJson.Write(writeData));
                writer.WriteStartObject();
                writer.WriteString("iv", sealedData.Iv);
                writer.WriteString("ciphertext", sealedData.Ciphertext);
                writer.WriteString("tag", sealedData.Tag);
                writer.WriteEndObject();
            }
            else
            {
                writeData(writer);
            }
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(http.RequestAborted);
    }
}
