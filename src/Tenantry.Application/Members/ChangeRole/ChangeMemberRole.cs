using FluentValidation;
using Tenantry.Application.Common;

namespace Tenantry.Application.Members.ChangeRole;

/// <param name="FromRoleBizId">When given, the change applies only while the member still holds that role (else not found).</param>
public sealed record ChangeMemberRoleCommand(string? UserBizId, string? RoleBizId, string? FromRoleBizId = null);

public sealed class ChangeMemberRoleValidator : AbstractValidator<ChangeMemberRoleCommand>
{
    public ChangeMemberRoleValidator()
    {
        RuleFor(c => c.UserBizId).Required();
        RuleFor(c => c.RoleBizId).Required();
    }
}
