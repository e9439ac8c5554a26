using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.UpdateUser;

/// <summary>The operator's partial update of an account (CONTRACT 8): for now whether its address is verified.</summary>
public sealed record AdminUpdateUserCommand(Optional<bool?> EmailVerified);

public sealed class AdminUpdateUserValidator : AbstractValidator<AdminUpdateUserCommand>
{
    public AdminUpdateUserValidator() =>
        When(c => c.EmailVerified.HasValue, () =>
            RuleFor(c => c.EmailVerified.Value).NotNull().WithErrorCode(ValidationCodes.Required));
}
