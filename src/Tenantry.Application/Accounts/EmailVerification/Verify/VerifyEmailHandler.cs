using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Me;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.EmailVerification.Verify;

/// <summary>
/// Proves an account's address with the link's token or the email's code. The token names its
/// account (whoever holds it, signed in or not, as the link is meant to be opened anywhere); the
/// code is checked against the signed-in caller's open verification only. Single use: of
/// concurrent requests with the same secret, only the one that deletes the verification succeeds.
/// A code may be tried <see cref="Domain.Accounts.EmailVerification.MaxCodeAttempts"/> times; each
/// try is counted before the comparison, so concurrent guesses get no more. Every failure answers
/// the same <see cref="EmailVerificationInvalid"/>: unknown, wrong, expired, used, replaced or spent.
/// </summary>
public sealed class VerifyEmailHandler(
    TenantryDbContext db, IValidator<VerifyEmailCommand> validator, EmailVerifications verifications, TimeProvider clock)
{
    public async Task<Result<AccountView>> HandleAsync(VerifyEmailCommand command, Caller? caller, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        if (!string.IsNullOrWhiteSpace(command.Token))
        {
            return await ByTokenAsync(command.Token.Trim(), origin, cancellationToken);
        }
        if (caller is null)
        {
            // A code means nothing without the account it was sent to.
            return new InvalidToken();
        }
        return await ByCodeAsync(command.Code!.Trim(), caller, cancellationToken);
    }

    private async Task<Result<AccountView>> ByTokenAsync(string token, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hash = TokenHashing.Hash(token);
        var open = await db.EmailVerifications.AsNoTracking().FirstOrDefaultAsync(v => v.TokenHash == hash, cancellationToken);
        if (open is null || !open.IsOpenAt(now))
        {
            return new EmailVerificationInvalid();
        }
        return await ConsumeAsync(open, EmailVerificationMethods.Link, origin.ClientIpText, now, cancellationToken);
    }

    private async Task<Result<AccountView>> ByCodeAsync(string code, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var open = await db.EmailVerifications.AsNoTracking().FirstOrDefaultAsync(v => v.UserId == caller.UserId, cancellationToken);
        if (open is null)
        {
            // Verified already (by the link, an invitation or an operator), or never asked: a verified account is simply answered.
            var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken);
            return user.EmailVerified ? AccountView.From(user) : new EmailVerificationInvalid();
        }
        // Count the try first, in one statement that also checks the limit and the expiry.
        var at = now.UtcDateTime;
        var counted = await db.EmailVerifications
            .Where(v => v.UserId == open.UserId && v.Id == open.Id && v.CodeAttempts < Domain.Accounts.EmailVerification.MaxCodeAttempts && v.ExpiresAt > at)
            .ExecuteUpdateAsync(v => v.SetProperty(x => x.CodeAttempts, x => x.CodeAttempts + 1), cancellationToken) == 1;
        if (!counted || code.Length != EmailVerifications.CodeDigits || !TokenHashing.HashEquals(open.CodeHash, open.Id + ":" + code))
        {
            return new EmailVerificationInvalid();
        }
        return await ConsumeAsync(open, EmailVerificationMethods.Code, caller.ClientIpText, now, cancellationToken);
    }

    /// <summary>Deletes the verification (only one request can) and marks the address verified, in one transaction.</summary>
    private async Task<Result<AccountView>> ConsumeAsync(
        Domain.Accounts.EmailVerification open, string method, string? clientIp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Result<AccountView>>(async transaction =>
        {
            var consumed = await db.EmailVerifications.Where(v => v.UserId == open.UserId && v.Id == open.Id).ExecuteDeleteAsync(cancellationToken) == 1;
            var user = await db.Users.FirstAsync(u => u.Id == open.UserId, cancellationToken);
            if (!consumed || user.NormalizedEmail != open.NormalizedEmail)
            {
                return new EmailVerificationInvalid();
            }
            await verifications.MarkVerifiedAsync(user, method, user.Id, clientIp, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return AccountView.From(user);
        }, cancellationToken);
    }
}
