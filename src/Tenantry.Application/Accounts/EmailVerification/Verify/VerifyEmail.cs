using FluentValidation;
using Tenantry.Application.Common;

namespace Tenantry.Application.Accounts.EmailVerification.Verify;

/// <summary>The token of the link (no sign-in needed) or the code (signed in as the account); the token wins when both come.</summary>
public sealed record VerifyEmailCommand(string? Token, string? Code);

public sealed class VerifyEmailValidator : AbstractValidator<VerifyEmailCommand>
{
    public const int MaxTokenLength = 128;
    public const int MaxCodeLength = 32;

    public VerifyEmailValidator()
    {
        When(c => string.IsNullOrWhiteSpace(c.Code), () => RuleFor(c => c.Token).Required());
        RuleFor(c => c.Token).MaxChars(MaxTokenLength);
        RuleFor(c => c.Code).MaxChars(MaxCodeLength);
    }
}
