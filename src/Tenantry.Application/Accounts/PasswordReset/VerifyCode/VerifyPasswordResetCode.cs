using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.PasswordReset.VerifyCode;

public sealed record VerifyPasswordResetCodeCommand(string? Email, string? Code);

public sealed class VerifyPasswordResetCodeValidator : AbstractValidator<VerifyPasswordResetCodeCommand>
{
    public const int MaxCodeLength = 32;

    public VerifyPasswordResetCodeValidator()
    {
        RuleFor(c => c.Email).Required().MaxChars(EmailAddress.MaxLength);
        RuleFor(c => c.Code).Required().MaxChars(MaxCodeLength);
    }
}

/// <summary>The token that lets the holder set a new password, and until when.</summary>
public sealed record PasswordResetToken(string Token, DateTime ExpiresAt);

/// <summary>
/// Checks the emailed code of an address's open reset and answers the reset token. Each try is counted first, in one
/// statement that also checks the limit and the expiry, so concurrent guesses get no more than
/// <see cref="Domain.Accounts.PasswordReset.MaxCodeAttempts"/>. Every failure is the same <see cref="PasswordResetInvalid"/>,
/// whether the address has an account or not. A right code keeps the reset open for
/// <see cref="PasswordResetOptions.TokenValidFor"/> (never longer than the code was to last).
/// </summary>
public sealed class VerifyPasswordResetCodeHandler(
    TenantryDbContext db, IValidator<VerifyPasswordResetCodeCommand> validator, PasswordResets resets, TimeProvider clock)
{
    public async Task<Result<PasswordResetToken>> HandleAsync(VerifyPasswordResetCodeCommand command, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var normalizedEmail = EmailAddress.Normalize(command.Email!);
        var code = command.Code!.Trim();
        var now = clock.GetUtcNow();
        var at = now.UtcDateTime;
        var open = await db.PasswordResets.AsNoTracking().FirstOrDefaultAsync(r => r.NormalizedEmail == normalizedEmail && r.ExpiresAt > at, cancellationToken);
        if (open is null)
        {
            return new PasswordResetInvalid();
        }
        var counted = await db.PasswordResets
            .Where(r => r.UserId == open.UserId && r.Id == open.Id && r.CodeAttempts < Domain.Accounts.PasswordReset.MaxCodeAttempts && r.ExpiresAt > at)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.CodeAttempts, x => x.CodeAttempts + 1), cancellationToken) == 1;
        if (!counted || !TokenHashing.HashEquals(open.CodeHash, open.Id + ":" + code))
        {
            return new PasswordResetInvalid();
        }
        var expiresAt = Min(open.ExpiresAt, (now + resets.Settings.TokenValidFor).UtcDateTime);
        await db.PasswordResets.Where(r => r.UserId == open.UserId && r.Id == open.Id)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.VerifiedAt, at).SetProperty(x => x.ExpiresAt, expiresAt), cancellationToken);
        return new PasswordResetToken(resets.NewToken(open), expiresAt);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
