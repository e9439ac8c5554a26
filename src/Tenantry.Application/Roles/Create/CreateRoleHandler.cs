using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Roles.Create;

/// <summary>
/// Adds a custom role (permission <c>roles.manage</c>). Names are unique per workspace
/// case-insensitively, "Owner" and "Member" included; the unique index decides between
/// concurrent requests. A non-owner cannot create a role that grants more than they hold.
/// </summary>
public sealed class CreateRoleHandler(TenantryDbContext db, IValidator<CreateRoleCommand> validator, TimeProvider clock)
{
    public async Task<Result<RoleView>> HandleAsync(WorkspaceStanding standing, CreateRoleCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var permissions = command.Permissions!.Select(p => p!).ToList();
        if (!standing.MayGrant(permissions))
        {
            return new RoleExceedsGrantor();
        }
        var now = clock.GetUtcNow();
        var role = WorkspaceRole.CreateCustom(standing.InstitutionId, standing.WorkspaceId, command.RoleName!, Blank(command.Description), permissions, now);
        db.WorkspaceRoles.Add(role);
        db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.RoleCreated,
            AuditTargets.Role, role.Id, caller.ClientIpText, AuditDetails.Of(("name", role.Name), ("permissions", role.Permissions)), now));
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

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
