using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Lockouts;
using Tenantry.Application.Accounts.SignIn;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.PasswordReset.Reset;

public sealed record ResetPasswordCommand(string? Token, string? NewPassword);

/// <summary>The new password follows the sign-up rules.</summary>
public sealed class ResetPasswordValidator : AbstractValidator<ResetPasswordCommand>
{
    public const int MaxTokenLength = 1024;

    public ResetPasswordValidator()
    {
        RuleFor(c => c.Token).Required().MaxChars(MaxTokenLength);
        RuleFor(c => c.NewPassword).Required().DependentRules(() =>
        {
            RuleFor(c => c.NewPassword).MinChars(UserAccount.MinPasswordLength);
            RuleFor(c => c.NewPassword).MaxChars(UserAccount.MaxPasswordLength);
        });
    }
}

/// <summary>The reset is done: the sign-in that follows it, for the account with this address.</summary>
public sealed record PasswordResetDone(SignInOutcome SignIn, string Email);

/// <summary>
/// Sets a new password with the token of a verified reset, once: of concurrent requests with the same token only the one
/// that deletes the reset goes on. Every session of the account ends (whoever held the old password or a stolen session
/// loses it), the address's sign-in lockout is cleared (the owner has just proven the address), and the account's trail
/// records <c>password.reset</c>. Then the account signs in as a sign-in would: a session, or an MFA challenge when it has
/// an authenticator (a reset proves the address, not the second factor).
/// </summary>
public sealed class ResetPasswordHandler(
    TenantryDbContext db, IValidator<ResetPasswordCommand> validator, PasswordResets resets, Passwords hasher, AuthLockouts lockouts,
    SignInCompletion completion, TimeProvider clock)
{
    public async Task<Result<PasswordResetDone>> HandleAsync(ResetPasswordCommand command, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        if (resets.ReadToken(command.Token!.Trim()) is not { } named)
        {
            return new PasswordResetInvalid();
        }
        var (userId, resetId) = named;
        var now = clock.GetUtcNow();
        var at = now.UtcDateTime;
        var changed = await db.InTransactionAsync<Result<UserAccount>>(async transaction =>
        {
            var reset = await db.PasswordResets.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Id == resetId, cancellationToken);
            var consumed = reset is not null && await db.PasswordResets
                .Where(r => r.UserId == userId && r.Id == resetId && r.VerifiedAt != null && r.ExpiresAt > at)
                .ExecuteDeleteAsync(cancellationToken) == 1;
            var user = consumed ? await db.Users.FirstAsync(u => u.Id == userId, cancellationToken) : null;
            if (user is null || !user.CanSignIn || user.NormalizedEmail != reset!.NormalizedEmail)
            {
                return new PasswordResetInvalid();
            }
            user.ChangePassword(hasher.Hash(command.NewPassword!), now);
            var signedOut = await SessionRevocations.RevokeAllAsync(db, user.Id, except: null, now, cancellationToken);
            await lockouts.ResetAsync(db, LockoutScope.Password, user.NormalizedEmail, cancellationToken);
            db.AccountEvents.Add(AccountEvent.ByUser(user.Id, user.Id, AccountActions.PasswordReset, origin.ClientIpText,
                AuditDetails.Of(("sessionsSignedOut", signedOut)), now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return user;
        }, cancellationToken);
        if (!changed.IsSuccess)
        {
            return changed.Error;
        }
        return new PasswordResetDone(await completion.StartAsync(db, changed.Value, origin, cancellationToken), changed.Value.Email);
    }
}
