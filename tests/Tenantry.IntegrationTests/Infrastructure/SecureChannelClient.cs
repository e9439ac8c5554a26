using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// A client of the secure channel (CONTRACT 3), written from the documented parameters only
/// (not from the server's code): ECDH P-256 handshake, HKDF-SHA256 (salt = channel id, info =
/// "tenantry-secure-channel-v1") to an AES-256-GCM key, 12-byte IVs, 16-byte tags.
/// </summary>
public sealed class SecureChannelClient
{
    public const string Header = "X-Secure-Channel";
    private const string HandshakePath = "/web/v1/secure-channel/handshake";

    private readonly SystemApi _api;

    private SecureChannelClient(SystemApi api, string channelId, byte[] key)
    {
        _api = api;
        ChannelId = channelId;
        Key = key;
    }

    public string ChannelId { get; }
    public byte[] Key { get; }

    /// <summary>The same channel, spoken through another server (a second replica).</summary>
    public SecureChannelClient Via(SystemApi api) => new(api, ChannelId, Key);

    public static async Task<SecureChannelClient> OpenAsync(SystemApi api)
    {
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var response = await api.PostAsync(HandshakePath, new { clientPublicKey = Convert.ToBase64String(ecdh.ExportSubjectPublicKeyInfo()) });
        var data = response.AssertOk();
        var channelId = data.GetProperty("channelId").GetString()!;
        using var server = ECDiffieHellman.Create();
        server.ImportSubjectPublicKeyInfo(Convert.FromBase64String(data.GetProperty("serverPublicKey").GetString()!), out _);
        var shared = ecdh.DeriveRawSecretAgreement(server.PublicKey);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, Encoding.UTF8.GetBytes(channelId), Encoding.UTF8.GetBytes("tenantry-secure-channel-v1"));
        return new SecureChannelClient(api, channelId, key);
    }

    /// <summary>The encrypted body for <paramref name="json"/> (empty for a request without a body).</summary>
    public string Seal(string json, byte[]? iv = null)
    {
        iv ??= RandomNumberGenerator.GetBytes(12);
        var plaintext = Encoding.UTF8.GetBytes(json);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(Key, 16);
        aes.Encrypt(iv, plaintext, ciphertext, tag);
        return JsonSerializer.Serialize(new { iv = Convert.ToBase64String(iv), ciphertext = Convert.ToBase64String(ciphertext), tag = Convert.ToBase64String(tag) });
    }

    /// <summary>Sends <paramref name="body"/> (an object, raw JSON, or null) encrypted on this channel.</summary>
    public Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body = null, string? token = null, string? channelId = null) =>
        SendSealedAsync(method, path, Seal(body is null ? string.Empty : body as string ?? JsonSerializer.Serialize(body)), token, channelId);

    /// <summary>Sends an already sealed body as it is (replays, tampering).</summary>
    public Task<ApiResponse> SendSealedAsync(HttpMethod method, string path, string sealedBody, string? token = null, string? channelId = null) =>
        _api.SendAsync(method, path, sealedBody, token, configure: r => r.Headers.Add(Header, channelId ?? ChannelId));

    /// <summary>Decrypts an answer's <c>data</c>.</summary>
    public JsonElement Open(JsonElement data)
    {
        var iv = Convert.FromBase64String(data.GetProperty("iv").GetString()!);
        var ciphertext = Convert.FromBase64String(data.GetProperty("ciphertext").GetString()!);
        var tag = Convert.FromBase64String(data.GetProperty("tag").GetString()!);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(Key, 16);
        aes.Decrypt(iv, ciphertext, tag, plaintext);
        return JsonDocument.Parse(plaintext).RootElement.Clone();
    }

    /// <summary>Asserts a successful encrypted answer and returns its decrypted data.</summary>
    public JsonElement AssertOk(ApiResponse response, string? version = null)
    {
        var data = response.AssertOk(version);
        Assert.Equal(["iv", "ciphertext", "tag"], data.EnumerateObject().Select(p => p.Name));
        return Open(data);
    }

    public static MediaTypeHeaderValue Json => new("application/json");
}
