using FluentValidation;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Common;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Accounts.Mfa.CompleteSignIn;

public sealed record CompleteMfaSignInCommand(string? ChallengeId, string? Code, string? RecoveryCode);

public sealed class CompleteMfaSignInValidator : AbstractValidator<CompleteMfaSignInCommand>
{
    public CompleteMfaSignInValidator()
    {
        RuleFor(c => c.ChallengeId).Required().MaxChars(200);
        When(c => string.IsNullOrWhiteSpace(c.RecoveryCode), () => RuleFor(c => c.Code).Required());
        RuleFor(c => c.Code).MaxChars(MfaProofValidator.MaxCodeLength);
        RuleFor(c => c.RecoveryCode).MaxChars(MfaProofValidator.MaxCodeLength);
    }
}
