using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.SignIn;

/// <summary>The password was right but a second factor is owed: complete with the challenge id and a code.</summary>
public sealed record MfaChallengeIssued(string ChallengeId, DateTime ExpiresAt);

/// <summary>A sign-in either starts a session or, for a user with MFA, asks for the second factor.</summary>
public sealed record SignInOutcome(AuthTokens? Tokens, MfaChallengeIssued? Challenge);

/// <summary>
/// Checks a password and starts a session, or an MFA challenge for an enrolled user. Unknown
/// email and wrong password give the same answer after the same amount of work (a decoy hash
/// is verified for unknown emails) and count alike toward the per-email throttle and the
/// persisted progressive lockout, so neither answers nor lockouts reveal which emails exist.
/// </summary>
public sealed class SignInHandler(
    TenantryDbContext db, IValidator<SignInCommand> validator, PasswordAttempts passwords, Passwords hasher, SignInCompletion completion,
    TimeProvider clock)
{
    public async Task<Result<SignInOutcome>> HandleAsync(SignInCommand command, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var normalizedEmail = EmailAddress.Normalize(command.Email!);
        var attempt = await passwords.TryAsync(db, normalizedEmail,
            () => db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken), command.Password!, cancellationToken);
        if (!attempt.IsSuccess)
        {
            return attempt.Error;
        }
        var (user, check) = attempt.Value;
        if (!user.CanSignIn)
        {
            // Only someone who knows the password learns that the account is disabled.
            return new AccountDisabled();
        }
        var now = clock.GetUtcNow();
        if (check == PasswordCheck.CorrectButOutdated)
        {
            user.UpgradePasswordHash(hasher.Hash(command.Password!), now);
        }
        return await completion.StartAsync(db, user, origin, cancellationToken);
    }
}
