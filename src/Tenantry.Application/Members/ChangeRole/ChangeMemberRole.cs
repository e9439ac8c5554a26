using FluentValidation;
using Tenantry.Application.Common;

namespace Tenantry.Application.Members.ChangeRole;

public sealed record ChangeMemberRoleCommand(string? UserBizId, string? RoleBizId);

public sealed class ChangeMemberRoleValidator : AbstractValidator<ChangeMemberRoleCommand>
{
    public ChangeMemberRoleValidator()
    {
        RuleFor(c => c.UserBizId).Required();
        RuleFor(c => c.RoleBizId).Required();
    }
}
