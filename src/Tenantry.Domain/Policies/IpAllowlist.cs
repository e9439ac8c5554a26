using System.Net;
using System.Net.Sockets;

namespace Tenantry.Domain.Policies;

/// <summary>
/// An IP allow-list: CIDR blocks (a bare address counts as a single-host block).
/// Empty means "no restriction". Entries are kept in canonical text form.
/// </summary>
public static class IpAllowlist
{
    public const int MaxEntries = 100;

    /// <summary>Parses and canonicalizes every entry; returns the indexes of entries that are not valid CIDR blocks.</summary>
    public static bool TryNormalize(IReadOnlyList<string?> entries, out List<string> normalized, out List<int> invalidIndexes)
    {
        normalized = new List<string>(entries.Count);
        invalidIndexes = [];
        for (var i = 0; i < entries.Count; i++)
        {
            if (TryParseEntry(entries[i], out var network))
            {
                var text = network.ToString();
                if (!normalized.Contains(text))
                {
                    normalized.Add(text);
                }
            }
            else
            {
                invalidIndexes.Add(i);
            }
        }
        return invalidIndexes.Count == 0;
    }

    public static bool TryParseEntry(string? entry, out IPNetwork network)
    {
        network = default;
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        if (text.Contains('/'))
        {
            // "10.0.0.1/8" is refused rather than widened: a block must be written as its base address.
            return IPNetwork.TryParse(text, out network)
                && IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/')), out var written)
                && written.Equals(network.BaseAddress);
        }
        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }
        address = Canonical(address);
        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>True when the list is empty, or <paramref name="clientIp"/> lies in one of its blocks.</summary>
    public static bool Admits(IReadOnlyCollection<string> allowlist, IPAddress? clientIp)
    {
        if (allowlist.Count == 0)
        {
            return true;
        }
        if (clientIp is null)
        {
            return false;
        }
        var address = Canonical(clientIp);
        foreach (var entry in allowlist)
        {
            if (TryParseEntry(entry, out var network) && network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
