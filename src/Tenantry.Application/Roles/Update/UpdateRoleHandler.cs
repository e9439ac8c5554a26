using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Roles.Update;

/// <summary>
/// Renames a custom role, changes its description or its permissions (<c>roles.manage</c>).
/// Built-in roles are immutable. A non-owner may only edit a role within their own
/// permissions and keep it there; a rename to a taken name answers <see cref="RoleNameExists"/>.
/// </summary>
public sealed class UpdateRoleHandler(TenantryDbContext db, IValidator<UpdateRoleCommand> validator, TimeProvider clock)
{
    public async Task<Result<RoleView>> HandleAsync(
        WorkspaceStanding standing, string roleId, UpdateRoleCommand command, Caller caller, CancellationToken cancellationToken)
    {
        var role = await RoleLookup.FindAsync(db, standing.WorkspaceId, roleId, cancellationToken);
        if (role is null)
        {
            return new NotFound();
        }
        if (command.IsEmpty)
        {
            return new ValidationFailed(new FieldError("$", ValidationCodes.NothingToUpdate));
        }
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        if (role.BuiltIn is not null)
        {
            return new BuiltInRoleImmutable();
        }
        var permissions = command.Permissions.HasValue ? command.Permissions.Value!.Select(p => p!).ToList() : null;
        if (!standing.MayGrant(role) || (permissions is not null && !standing.MayGrant(permissions)))
        {
            return new RoleExceedsGrantor();
        }

        var now = clock.GetUtcNow();
        var description = command.Description.HasValue ? command.Description.Value?.Trim() ?? string.Empty : null;
        role.Update(command.RoleName.HasValue ? command.RoleName.Value : null, description, permissions, now);
        var fields = new[] { ("roleName", command.RoleName.HasValue), ("description", command.Description.HasValue), ("permissions", command.Permissions.HasValue) }
            .Where(f => f.Item2).Select(f => f.Item1).ToList();
        db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.RoleUpdated,
            AuditTargets.Role, role.Id, caller.ClientIpText, AuditDetails.Of(("fields", fields), ("name", role.Name), ("permissions", role.Permissions)), now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.RoleName))
        {
            return new RoleNameExists();
        }
        return RoleView.From(role);
    }
}
