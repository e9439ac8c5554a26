using FluentValidation;

namespace Tenantry.Application.Roles.Create;

public sealed record CreateRoleCommand(string? RoleName, string? Description, IReadOnlyList<string?>? Permissions);

public sealed class CreateRoleValidator : AbstractValidator<CreateRoleCommand>
{
    public CreateRoleValidator()
    {
        RuleFor(c => c.RoleName).RoleName();
        RuleFor(c => c.Description).RoleDescription();
        this.PermissionList(c => c.Permissions);
    }
}
