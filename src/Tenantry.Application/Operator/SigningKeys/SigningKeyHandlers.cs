using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.SigningKeys;

/// <summary>Where a key is in its life: published before it signs, signing, then retired (verifying the tokens it signed).</summary>
public enum SigningKeyState
{
    Published,
    Signing,
    Retired,
}

/// <summary>A signing key as the operator sees it: its id and its dates, never its private half.</summary>
public sealed record SigningKeyView(string Kid, string Algorithm, SigningKeyState State, DateTime CreatedAt, DateTime ActivatesAt, DateTime RetiresAt, DateTime ExpiresAt);

internal static class SigningKeyViews
{
    public static async Task<List<SigningKeyView>> ListAsync(TenantryDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var utcNow = now.UtcDateTime;
        var keys = await db.SigningKeys.AsNoTracking().Where(k => k.ExpiresAt > utcNow).ToListAsync(cancellationToken);
        // The signer is the newest activated key (SigningKeyRing.CurrentSigner); older activated keys only verify.
        var signer = keys.Where(k => k.ActivatesAt <= utcNow).OrderByDescending(k => k.ActivatesAt).ThenBy(k => k.Kid, StringComparer.Ordinal).FirstOrDefault();
        return keys.OrderByDescending(k => k.ActivatesAt).ThenBy(k => k.Kid, StringComparer.Ordinal)
            .Select(k => new SigningKeyView(k.Kid, k.Algorithm,
                k.ActivatesAt > utcNow ? SigningKeyState.Published : k == signer ? SigningKeyState.Signing : SigningKeyState.Retired,
                k.CreatedAt, k.ActivatesAt, k.RetiresAt, k.ExpiresAt))
            .ToList();
    }
}

/// <summary><c>GET /admin/v1/signing-keys</c>: every key that is published, signs or still verifies, newest first.</summary>
public sealed class ListSigningKeysHandler(TenantryDbContext db, TimeProvider clock)
{
    public Task<List<SigningKeyView>> HandleAsync(CancellationToken cancellationToken) => SigningKeyViews.ListAsync(db, clock.GetUtcNow(), cancellationToken);
}

/// <summary>
/// <c>POST /admin/v1/signing-keys/rotate</c>: starts a rotation now instead of at the schedule.
/// The new key is published at once and signs from one publish lead
/// (<c>Tenantry:Auth:SigningKeyPublishLead</c>) later, so every replica and every client that
/// caches the JWKS knows it before the first token it signs; the current key retires then and
/// keeps verifying until its last token has expired. Successors planned before are dropped
/// (they never signed). Never a hard cut: tokens already issued stay valid until they expire.
/// </summary>
public sealed class RotateSigningKeyHandler(TenantryDbContext db, SigningKeyRing ring, IOptions<AuthOptions> options, TimeProvider clock)
{
    public async Task<Result<List<SigningKeyView>>> HandleAsync(CancellationToken cancellationToken)
    {
        await ring.GetAsync(cancellationToken);
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var utcNow = now.UtcDateTime;
        await db.InTransactionAsync(async transaction =>
        {
            await db.LockForTransactionAsync(DatabaseLocks.SigningKeys, cancellationToken);
            var keys = await db.SigningKeys.Where(k => k.ExpiresAt > utcNow).ToListAsync(cancellationToken);
            db.SigningKeys.RemoveRange(keys.Where(k => k.ActivatesAt > utcNow));
            var activatesAt = utcNow + settings.SigningKeyPublishLead;
            foreach (var current in keys.Where(k => k.ActivatesAt <= utcNow && k.RetiresAt > activatesAt))
            {
                current.RetiresAt = activatesAt;
                current.ExpiresAt = activatesAt + settings.AccessTokenLifetime + settings.ClockSkew;
            }
            var next = ring.CreateKey(utcNow, activatesAt);
            db.SigningKeys.Add(next);
            db.AuditEvents.Add(AuditEvent.Record(AuditScopes.Directory, null, AuditActors.Operator, AuditActions.SigningKeyRotated,
                AuditTargets.SigningKey, next.Kid, null, AuditDetails.Of(("activatesAt", activatesAt)), now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
        await ring.RefreshAsync(cancellationToken);
        return await SigningKeyViews.ListAsync(db, now, cancellationToken);
    }
}
