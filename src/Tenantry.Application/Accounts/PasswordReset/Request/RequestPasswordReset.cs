using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Outbox;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.PasswordReset.Request;

public sealed record RequestPasswordResetCommand(string? Email);

public sealed class RequestPasswordResetValidator : AbstractValidator<RequestPasswordResetCommand>
{
    public RequestPasswordResetValidator() => RuleFor(c => c.Email).Required().MaxChars(EmailAddress.MaxLength);
}

/// <summary>
/// Emails a reset code to the account with this address, if there is one that may sign in. The answer is the same either
/// way (the address is not confirmed or denied), nearly the same statements run either way (see
/// <see cref="PasswordResets.IssueAsync"/>), and the per-address limit counts known and unknown addresses alike. Asking again
/// replaces the code: the older one stops working.
/// </summary>
public sealed class RequestPasswordResetHandler(
    TenantryDbContext db, IValidator<RequestPasswordResetCommand> validator, PasswordResets resets, AccountThrottle throttle, OutboxSignal outbox,
    TimeProvider clock)
{
    public async Task<Result> HandleAsync(RequestPasswordResetCommand command, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var normalizedEmail = EmailAddress.Normalize(command.Email!);
        if (throttle.TryAcquire(ThrottledAction.PasswordResetEmail, normalizedEmail) is { } retryAfter)
        {
            return new RateLimited(retryAfter);
        }
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        await resets.IssueAsync(user is { CanSignIn: true } ? user : null, normalizedEmail, clock.GetUtcNow(), cancellationToken);
        outbox.Notify();
        return Result.Success;
    }
}
