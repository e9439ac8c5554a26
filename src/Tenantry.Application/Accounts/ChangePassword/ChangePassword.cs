using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Accounts.ChangePassword;

/// <summary>The current password (proof that the signed-in user is the account's owner) and the new one.</summary>
public sealed record ChangePasswordCommand(string? CurrentPassword, string? NewPassword);

/// <summary>The new password follows the sign-up rules.</summary>
public sealed class ChangePasswordValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordValidator()
    {
        RuleFor(c => c.CurrentPassword).Required().MaxChars(UserAccount.MaxPasswordLength);
        RuleFor(c => c.NewPassword).Required().DependentRules(() =>
        {
            RuleFor(c => c.NewPassword).MinChars(UserAccount.MinPasswordLength);
            RuleFor(c => c.NewPassword).MaxChars(UserAccount.MaxPasswordLength);
        });
    }
}
