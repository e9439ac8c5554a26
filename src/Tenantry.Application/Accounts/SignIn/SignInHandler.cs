using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.SignIn;

/// <summary>
/// Checks a password and starts a session. Unknown email and wrong password give the same
/// answer after the same amount of work (a decoy hash is verified for unknown emails).
/// </summary>
public sealed class SignInHandler(
    TenantryDbContext db, IValidator<SignInCommand> validator, Passwords passwords, SessionIssuer sessions,
    SignInThrottle throttle, TimeProvider clock)
{
    public async Task<Result<AuthTokens>> HandleAsync(SignInCommand command, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var normalizedEmail = EmailAddress.Normalize(command.Email!);
        if (throttle.TryAcquire(normalizedEmail) is { } retryAfter)
        {
            return new RateLimited(retryAfter);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        var check = passwords.Verify(user, command.Password!);
        if (user is null || check == PasswordCheck.Wrong || !user.CanSignIn)
        {
            return new InvalidCredentials();
        }
        if (check == PasswordCheck.CorrectButOutdated)
        {
            user.UpgradePasswordHash(passwords.Hash(command.Password!), clock.GetUtcNow());
        }

        var tokens = await sessions.StartAsync(db, user, origin, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return tokens;
    }
}
