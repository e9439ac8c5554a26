using FluentValidation;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Roles.Update;

/// <summary>A partial update of a custom role; absent fields stay, <c>description: null</c> clears it.</summary>
public sealed record UpdateRoleCommand(
    Optional<string?> RoleName,
    Optional<string?> Description,
    Optional<IReadOnlyList<string?>?> Permissions)
{
    public bool IsEmpty => !RoleName.HasValue && !Description.HasValue && !Permissions.HasValue;
}

public sealed class UpdateRoleValidator : AbstractValidator<UpdateRoleCommand>
{
    public UpdateRoleValidator()
    {
        When(c => c.RoleName.HasValue, () => RuleFor(c => c.RoleName.Value).RoleName());
        When(c => c.Description.HasValue, () => RuleFor(c => c.Description.Value).RoleDescription());
        When(c => c.Permissions.HasValue, () => this.PermissionList(c => c.Permissions.Value));
    }
}
