using FluentValidation;
using Tenantry.Application.Common;

namespace Tenantry.Application.Members.TransferOwnership;

public sealed record TransferOwnershipCommand(string? UserBizId);

public sealed class TransferOwnershipValidator : AbstractValidator<TransferOwnershipCommand>
{
    public TransferOwnershipValidator() => RuleFor(c => c.UserBizId).Required();
}
