using System.Security.Cryptography;
using System.Text;

namespace Tenantry.Server.Security;

/// <summary>Compares presented secrets (portal codes, the admin key) in constant time, including their length.</summary>
public sealed class SecretSet
{
    private readonly byte[][] _hashes;

    public SecretSet(IEnumerable<string?> secrets) =>
        _hashes = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => SHA256.HashData(Encoding.UTF8.GetBytes(s!))).ToArray();

    public bool IsEmpty => _hashes.Length == 0;

    public bool Contains(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var found = false;
        foreach (var candidate in _hashes)
        {
            found |= CryptographicOperations.FixedTimeEquals(candidate, hash);
        }
        return found;
    }
}
