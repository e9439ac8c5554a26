using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Tenantry.Application.Accounts.Tokens;

/// <summary>
/// Access tokens whose signature has been verified, kept until they expire and looked up by
/// the token's characters where they already are (inside the <c>Authorization</c> header), so
/// a request with a known token allocates nothing here. Expired entries are swept at most once
/// a <see cref="SweepInterval"/>, by a request that adds one; past <c>maxEntries</c> after a
/// sweep everything is forgotten, and each token pays one signature check again.
/// </summary>
public sealed class VerifiedTokens
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, AccessTokenClaims> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccessTokenClaims>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly int _maxEntries;
    private readonly Lock _sweeping = new();
    private int _count;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public VerifiedTokens(int maxEntries)
    {
        _maxEntries = maxEntries;
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The claims of a verified token, expired or not: the caller decides with its own clock and skew.</summary>
    public bool TryGet(ReadOnlySpan<char> token, [NotNullWhen(true)] out AccessTokenClaims? claims) => _bySpan.TryGetValue(token, out claims);

    /// <summary>Remembers a verified token; <paramref name="expiredBefore"/> is the instant before which a kept token is useless.</summary>
    public void Add(string token, AccessTokenClaims claims, DateTimeOffset expiredBefore)
    {
        if (_entries.TryAdd(token, claims))
        {
            Interlocked.Increment(ref _count);
        }
        if (Count > _maxEntries || expiredBefore - _lastSweep >= SweepInterval)
        {
            Sweep(expiredBefore);
        }
    }

    private void Sweep(DateTimeOffset expiredBefore)
    {
        // One sweeper at a time; the others go on (their entry is already in).
        if (!_sweeping.TryEnter())
        {
            return;
        }
        try
        {
            _lastSweep = expiredBefore;
            foreach (var (token, claims) in _entries)
            {
                if (claims.ExpiresAt <= expiredBefore && _entries.TryRemove(token, out _))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
            if (Count > _maxEntries)
            {
                _entries.Clear();
                Volatile.Write(ref _count, _entries.Count);
            }
        }
        finally
        {
            _sweeping.Exit();
        }
    }
}
