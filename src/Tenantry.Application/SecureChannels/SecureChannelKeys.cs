using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Data.Security;
using Tenantry.Domain.Common;

namespace Tenantry.Application.SecureChannels;

/// <summary>Settings of the secure channel (configuration: Tenantry:Gateway).</summary>
public sealed class SecureChannelOptions
{
    /// <summary>How long a channel's key is accepted after the handshake.</summary>
    public TimeSpan SecureChannelLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Channel keys for encrypted requests. A channel is stored once (any replica can serve it)
/// and its key, being immutable, is cached per replica until the channel expires. Replay
/// protection is not cached: each IV is recorded in the database, where the unique
/// (channel, IV) key lets only the first use through on every replica.
/// </summary>
public sealed class SecureChannelKeys(SecretsAtRest secrets, TimeProvider clock) : IDisposable
{
    private readonly MemoryCache _keys = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>The channel's key, or null when the channel is unknown or expired.</summary>
    public async ValueTask<byte[]?> GetAsync(TenantryDbContext db, string? channelId, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(channelId, EntityId.SecureChannel))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (_keys.TryGetValue(channelId!, out CachedKey? cached) && cached is not null)
        {
            return cached.ExpiresAt > now.UtcDateTime ? cached.Key : null;
        }
        var row = await db.SecureChannels.AsNoTracking().Where(c => c.Id == channelId)
            .Select(c => new { c.ProtectedKey, c.ExpiresAt }).FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.ExpiresAt <= now.UtcDateTime)
        {
            return null;
        }
        var key = secrets.Unprotect(SecretKind.SecureChannelKey, row.ProtectedKey);
        _keys.Set(channelId!, new CachedKey(key, row.ExpiresAt), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpiration = new DateTimeOffset(row.ExpiresAt, TimeSpan.Zero),
        });
        return key;
    }

    /// <summary>Records an IV as used on the channel; false when it was used before (a replay).</summary>
    public async Task<bool> TryUseIvAsync(TenantryDbContext db, string channelId, byte[] iv, CancellationToken cancellationToken)
    {
        var nonce = new SecureChannelNonce { ChannelId = channelId, Iv = Convert.ToHexStringLower(iv), CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.SecureChannelNonces.Add(nonce);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.SecureChannelNonce))
        {
            return false;
        }
        finally
        {
            // The request's context goes on to the endpoint; it should not carry this row along.
            db.Entry(nonce).State = EntityState.Detached;
        }
    }

    public void Dispose() => _keys.Dispose();

    private sealed record CachedKey(byte[] Key, DateTime ExpiresAt);
}
