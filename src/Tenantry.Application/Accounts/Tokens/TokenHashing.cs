using System.Security.Cryptography;
using System.Text;

namespace Tenantry.Application.Accounts.Tokens;

/// <summary>Random bearer secrets and the hashes under which they are stored.</summary>
public static class TokenHashing
{
    /// <summary>256 bits from the OS CSPRNG, base64url.</summary>
    public static string NewSecret() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Hex SHA-256. The secrets are 256-bit random values, so a fast hash is enough:
    /// there is nothing to brute-force, and lookups stay cheap.
    /// </summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool HashEquals(string expectedHexHash, string secret)
    {
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        Span<byte> expected = stackalloc byte[32];
        return Convert.FromHexString(expectedHexHash, expected, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
