using FluentValidation;
using Tenantry.Application.Common;

namespace Tenantry.Application.Accounts.SignIn;

public sealed record SignInCommand(string? Email, string? Password);

public sealed class SignInValidator : AbstractValidator<SignInCommand>
{
    public SignInValidator()
    {
        RuleFor(c => c.Email).Required().MaxChars(Domain.Accounts.EmailAddress.MaxLength);
        RuleFor(c => c.Password).Required().MaxChars(Domain.Accounts.UserAccount.MaxPasswordLength);
    }
}
