using FluentValidation;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Common;

namespace Tenantry.Application.Accounts.Mfa.Confirm;

public sealed record ConfirmTotpCommand(string? Code);

public sealed class ConfirmTotpValidator : AbstractValidator<ConfirmTotpCommand>
{
    public ConfirmTotpValidator() => RuleFor(c => c.Code).Required().MaxChars(MfaProofValidator.MaxCodeLength);
}
