using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Common;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Mfa.Enrol;

/// <summary>What enrolment hands the user, once: the secret in every form an authenticator app takes.</summary>
public sealed record TotpEnrolment(string Secret, string OtpauthUri, string QrCode, string Issuer, string AccountName);

/// <summary>
/// Starts (or restarts) TOTP enrolment: a new secret, pending until confirmed with a code.
/// Concurrent enrolments of one user end like consecutive ones: the last secret stored is the
/// one that can be confirmed; an enrolment racing a confirm never replaces a confirmed secret.
/// </summary>
public sealed class EnrolTotpHandler(TenantryDbContext db, SecretsAtRest secrets, IOptions<AuthOptions> options, TimeProvider clock)
{
    public async Task<Result<TotpEnrolment>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        var secret = TotpCodes.NewSecret();
        var protectedSecret = secrets.Protect(SecretKind.TotpSecret, secret);
        var stored = await StoreAsync(caller.UserId, protectedSecret, cancellationToken);
        if (!stored.IsSuccess)
        {
            return stored.Error;
        }
        var issuer = options.Value.TotpIssuer;
        var uri = TotpCodes.Uri(issuer, user.Email, secret);
        return new TotpEnrolment(TotpCodes.Base32(secret), uri, TotpCodes.QrCodeDataUri(uri), issuer, user.Email);
    }

    private async Task<Result> StoreAsync(string userId, string protectedSecret, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Null when the user has no enrolment yet.
        var replaced = await db.InTransactionAsync<Result?>(async transaction =>
        {
            // Under the row lock a confirm takes too: a confirm in flight finishes first, and its result is read here.
            if (!await db.LockTotpAuthenticatorAsync(userId, cancellationToken))
            {
                return null;
            }
            var existing = await db.TotpAuthenticators.FirstAsync(t => t.UserId == userId, cancellationToken);
            if (existing.IsConfirmed)
            {
                return new MfaAlreadyEnabled();
            }
            existing.Replace(protectedSecret, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
        if (replaced is { } done)
        {
            return done;
        }
        var enrolment = TotpAuthenticator.Enrol(userId, protectedSecret, now);
        db.TotpAuthenticators.Add(enrolment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success;
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.TotpAuthenticator))
        {
            // Another request of this user enrolled at the same moment: restart over its row, as a later request would.
            db.Entry(enrolment).State = EntityState.Detached;
            return await StoreAsync(userId, protectedSecret, cancellationToken);
        }
    }
}
