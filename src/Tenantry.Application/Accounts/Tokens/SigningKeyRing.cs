using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Keys;

namespace Tenantry.Application.Accounts.Tokens;

/// <summary>
/// The ES256 keys every replica signs and verifies with, kept in the database so that a
/// token issued by one replica is accepted by all. Keys rotate on a schedule: the next key
/// is published before it signs, and a retired key keeps verifying until the last token
/// it signed has expired. Each replica re-reads the ring periodically, and at once when it
/// meets a key id it does not know. Private keys are stored encrypted (<see cref="SecretsAtRest"/>);
/// rows written before that are encrypted on the next refresh.
/// </summary>
public sealed partial class SigningKeyRing(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<AuthOptions> options, SecretsAtRest secrets, ILogger<SigningKeyRing> logger)
{
    private static readonly TimeSpan s_unknownKidRefreshBackoff = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile KeyRingSnapshot? _snapshot;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    public async ValueTask<KeyRingSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetUtcNow() < snapshot.RefreshAfter)
        {
            return snapshot;
        }
        return await RefreshAsync(cancellationToken);
    }

    /// <summary>Re-reads the ring when a token names a key this replica has not seen (another replica may have just created it).</summary>
    public async ValueTask<KeyRingSnapshot> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - _lastForcedRefresh < s_unknownKidRefreshBackoff && _snapshot is { } recent)
        {
            return recent;
        }
        _lastForcedRefresh = now;
        return await RefreshAsync(cancellationToken);
    }

    public async Task<KeyRingSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TenantryDbContext>();
            var now = clock.GetUtcNow();
            var keys = await LoadAsync(db, now, cancellationToken);
            if (keys.Any(k => !SecretsAtRest.IsProtected(k.PrivateKey)))
            {
                await EncryptLegacyKeysAsync(db, now, cancellationToken);
                keys = await LoadAsync(db, now, cancellationToken);
            }
            if (PlanNewKey(keys, now) is not null)
            {
                // Every replica plans the same key at about the same time; under a lock they all
                // see, the first adds it and the others read it instead of adding their own.
                keys = await db.InTransactionAsync(async transaction =>
                {
                    await db.LockForTransactionAsync(DatabaseLocks.SigningKeys, cancellationToken);
                    var locked = await LoadAsync(db, now, cancellationToken);
                    var planned = PlanNewKey(locked, now);
                    if (planned is not null)
                    {
                        db.SigningKeys.Add(planned);
                        await db.SaveChangesAsync(cancellationToken);
                        locked.Add(planned);
                    }
                    await transaction.CommitAsync(cancellationToken);
                    if (planned is not null)
                    {
                        LogKeyCreated(logger, planned.Kid, planned.ActivatesAt);
                    }
                    return locked;
                }, cancellationToken);
            }

            var snapshot = BuildSnapshot(keys, now);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private static Task<List<SigningKey>> LoadAsync(TenantryDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.SigningKeys.AsNoTracking().Where(k => k.ExpiresAt > now.UtcDateTime).ToListAsync(cancellationToken);

    /// <summary>Keys stored in plaintext (before keys were encrypted at rest) are rewritten encrypted.</summary>
    private async Task EncryptLegacyKeysAsync(TenantryDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = await db.SigningKeys.Where(k => k.ExpiresAt > now.UtcDateTime).ToListAsync(cancellationToken);
        foreach (var key in keys.Where(k => !SecretsAtRest.IsProtected(k.PrivateKey)))
        {
            key.PrivateKey = secrets.Protect(SecretKind.SigningKey, Convert.FromBase64String(key.PrivateKey));
            LogKeyEncrypted(logger, key.Kid);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The key to add now, if any: one that signs at once when nothing can, or the next one when the current nears retirement.</summary>
    private SigningKey? PlanNewKey(List<SigningKey> keys, DateTimeOffset now)
    {
        var settings = options.Value;
        var utcNow = now.UtcDateTime;
        var signing = CurrentSigner(keys, utcNow);
        if (signing is null || signing.ExpiresAt - utcNow < settings.AccessTokenLifetime + settings.ClockSkew)
        {
            return NewKey(utcNow, utcNow);
        }
        var hasSuccessor = keys.Any(k => k.ActivatesAt > utcNow);
        if (!hasSuccessor && signing.RetiresAt - utcNow <= settings.SigningKeyPublishLead * 3)
        {
            var activatesAt = Max(signing.RetiresAt, utcNow + settings.SigningKeyPublishLead);
            return NewKey(utcNow, activatesAt);
        }
        return null;
    }

    /// <summary>A new key that signs from <paramref name="activatesAt"/> (an operator's rotation adds it itself).</summary>
    public SigningKey CreateKey(DateTime now, DateTime activatesAt) => NewKey(now, activatesAt);

    private SigningKey NewKey(DateTime now, DateTime activatesAt)
    {
        var settings = options.Value;
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var retiresAt = activatesAt + settings.SigningKeyRotation;
        return new SigningKey
        {
            Kid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            Algorithm = SecurityAlgorithms.EcdsaSha256,
            PrivateKey = secrets.Protect(SecretKind.SigningKey, ecdsa.ExportPkcs8PrivateKey()),
            CreatedAt = now,
            ActivatesAt = activatesAt,
            RetiresAt = retiresAt,
            // A retired key may still sign until its successor activates (at most one publish lead later),
            // and its tokens live one access-token lifetime after that.
            ExpiresAt = retiresAt + settings.SigningKeyPublishLead + settings.AccessTokenLifetime + settings.ClockSkew,
        };
    }

    private KeyRingSnapshot BuildSnapshot(List<SigningKey> keys, DateTimeOffset now)
    {
        var signer = CurrentSigner(keys, now.UtcDateTime)
            ?? throw new InvalidOperationException("No signing key is active; the key ring could not be initialised.");
        var verification = keys.OrderByDescending(k => k.ActivatesAt).Select(ToSecurityKey).ToList();
        var signingKey = verification.Single(k => k.KeyId == signer.Kid);
        var refreshAfter = now + options.Value.KeyRingRefreshInterval;
        // Wake up in time to switch to a successor that activates before the next refresh.
        foreach (var key in keys.Where(k => k.ActivatesAt > now.UtcDateTime))
        {
            var activates = new DateTimeOffset(key.ActivatesAt, TimeSpan.Zero);
            if (activates < refreshAfter)
            {
                refreshAfter = activates;
            }
        }
        return new KeyRingSnapshot(
            new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256),
            verification,
            keys.Select(k => new PublishedKey(k.Kid, k.ActivatesAt, k.ExpiresAt, (ECDsaSecurityKey)verification.Single(v => v.KeyId == k.Kid))).ToList(),
            refreshAfter);
    }

    private static SigningKey? CurrentSigner(List<SigningKey> keys, DateTime now) =>
        keys.Where(k => k.ActivatesAt <= now && k.ExpiresAt > now)
            .OrderByDescending(k => k.ActivatesAt)
            .ThenBy(k => k.Kid, StringComparer.Ordinal)
            .FirstOrDefault();

    private ECDsaSecurityKey ToSecurityKey(SigningKey key)
    {
        var ecdsa = ECDsa.Create();
        var pkcs8 = secrets.Unprotect(SecretKind.SigningKey, key.PrivateKey);
        ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
        CryptographicOperations.ZeroMemory(pkcs8);
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid };
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted the stored private key of signing key {Kid}")]
    private static partial void LogKeyEncrypted(ILogger logger, string kid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created signing key {Kid}, signing from {ActivatesAt:o}")]
    private static partial void LogKeyCreated(ILogger logger, string kid, DateTime activatesAt);
}

/// <summary>One consistent view of the ring: the key to sign with and every key that still verifies.</summary>
public sealed record KeyRingSnapshot(
    SigningCredentials Signing,
    IReadOnlyList<SecurityKey> VerificationKeys,
    IReadOnlyList<PublishedKey> Published,
    DateTimeOffset RefreshAfter);

/// <summary>A key as listed in JWKS: public part only.</summary>
public sealed record PublishedKey(string Kid, DateTime ActivatesAt, DateTime ExpiresAt, ECDsaSecurityKey Key);
