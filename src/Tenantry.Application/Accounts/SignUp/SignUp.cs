using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Accounts.SignUp;

public sealed record SignUpCommand(string? Email, string? Password, string? DisplayName);

public sealed class SignUpValidator : AbstractValidator<SignUpCommand>
{
    public SignUpValidator()
    {
        RuleFor(c => c.Email).Required().DependentRules(() =>
            RuleFor(c => c.Email).Must(e => EmailAddress.TryParse(e, out _)).WithErrorCode(ValidationCodes.InvalidEmail));
        RuleFor(c => c.Password).Required().DependentRules(() =>
        {
            RuleFor(c => c.Password).MinChars(UserAccount.MinPasswordLength);
            RuleFor(c => c.Password).MaxChars(UserAccount.MaxPasswordLength);
        });
        RuleFor(c => c.DisplayName).Required().MaxChars(UserAccount.MaxDisplayNameLength).SingleLineText();
    }
}
