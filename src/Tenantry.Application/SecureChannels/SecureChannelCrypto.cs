using System.Security.Cryptography;
using System.Text;

namespace Tenantry.Application.SecureChannels;

/// <summary>An AES-256-GCM message on the wire: <c>{"iv","ciphertext","tag"}</c>, each base64.</summary>
public sealed record SealedMessage(string Iv, string Ciphertext, string Tag);

/// <summary>
/// The secure channel's cryptography (CONTRACT 3). Handshake: ECDH on P-256 (keys as base64
/// SubjectPublicKeyInfo); the raw shared secret (the x coordinate, as WebCrypto's deriveBits
/// gives it) goes through HKDF-SHA256 with salt = the channel id (UTF-8) and info =
/// <see cref="KdfInfo"/> to a 32-byte AES-256-GCM key. Messages: 12-byte IV, 16-byte tag, no
/// associated data; the plaintext is the JSON body.
/// </summary>
public static class SecureChannelCrypto
{
    public const string KdfInfo = "tenantry-secure-channel-v1";
    public const int IvBytes = 12;
    public const int TagBytes = 16;
    public const int KeyBytes = 32;
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>Parses the client's public key; null unless it is a valid P-256 SubjectPublicKeyInfo.</summary>
    public static ECDiffieHellman? ImportClientKey(string? base64Spki)
    {
        if (string.IsNullOrWhiteSpace(base64Spki) || base64Spki.Length > 1024)
        {
            return null;
        }
        var bytes = new byte[base64Spki.Length];
        if (!Convert.TryFromBase64String(base64Spki.Trim(), bytes, out var length))
        {
            return null;
        }
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(bytes.AsSpan(0, length), out var read);
            if (read != length || key.ExportParameters(false).Curve.Oid?.Value != P256Oid)
            {
                key.Dispose();
                return null;
            }
            return key;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            return null;
        }
    }

    /// <summary>The server's half of the handshake: its public key (base64 SPKI) and the derived channel key.</summary>
    public static (string ServerPublicKey, byte[] Key) Agree(ECDiffieHellman clientKey, string channelId)
    {
        using var server = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var shared = server.DeriveRawSecretAgreement(clientKey.PublicKey);
        try
        {
            return (Convert.ToBase64String(server.ExportSubjectPublicKeyInfo()), DeriveKey(shared, channelId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    public static byte[] DeriveKey(byte[] sharedSecret, string channelId) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, KeyBytes, Encoding.UTF8.GetBytes(channelId), Encoding.UTF8.GetBytes(KdfInfo));

    public static SealedMessage Seal(byte[] key, ReadOnlySpan<byte> plaintext)
    {
        var iv = RandomNumberGenerator.GetBytes(IvBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(iv, plaintext, ciphertext, tag);
        return new SealedMessage(Convert.ToBase64String(iv), Convert.ToBase64String(ciphertext), Convert.ToBase64String(tag));
    }

    /// <summary>The plaintext, or null when the message is malformed or does not authenticate (tampered, wrong key).</summary>
    public static byte[]? Open(byte[] key, byte[] iv, byte[] ciphertext, byte[] tag)
    {
        if (iv.Length != IvBytes || tag.Length != TagBytes)
        {
            return null;
        }
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(iv, ciphertext, tag, plaintext);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
