using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Common;
using Tenantry.Application.Outbox;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.SignUp;

/// <summary>
/// Registers an account and signs it in. A taken email is the one deliberate disclosure (CONTRACT 3).
/// The address is not verified yet: a verification email (link and code) is queued with the account.
/// </summary>
public sealed class SignUpHandler(
    TenantryDbContext db, IValidator<SignUpCommand> validator, Passwords passwords, SessionIssuer sessions, EmailVerifications verifications,
    OutboxSignal outbox, TimeProvider clock)
{
    public async Task<Result<AuthTokens>> HandleAsync(SignUpCommand command, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        EmailAddress.TryParse(command.Email, out var email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == email.Normalized, cancellationToken))
        {
            return new EmailTaken();
        }

        var now = clock.GetUtcNow();
        var user = UserAccount.Register(email, command.DisplayName!, passwords.Hash(command.Password!), now);
        db.Users.Add(user);
        verifications.IssueForNewAccount(user, now);
        var tokens = await sessions.StartAsync(db, user, origin, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.UserEmail))
        {
            // Two sign-ups with the same email raced; the unique index let only one through.
            return new EmailTaken();
        }
        outbox.Notify();
        return tokens;
    }
}
