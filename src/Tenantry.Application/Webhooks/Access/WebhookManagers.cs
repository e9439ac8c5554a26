using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Webhooks.Access;

/// <summary>
/// Who manages an institution's webhooks in the SYSTEM dialect. Endpoints belong to the
/// institution and receive the events of all its workspaces, so holding <c>webhooks.manage</c>
/// in one workspace (checked by the route's workspace policy) is not enough on its own: the
/// caller must also be an Owner or Admin of the workspace's institution. Self-service owners are
/// both. Everyone else who passed the workspace policy gets 4030.
/// </summary>
public sealed class WebhookManagers(TenantryDbContext db)
{
    /// <summary>The institution whose webhooks the caller may manage through this workspace, or why not.</summary>
    public async Task<Result<string>> InstitutionAsync(WorkspaceStanding standing, Caller caller, CancellationToken cancellationToken)
    {
        if (!standing.Grants(Permissions.WebhooksManage))
        {
            return new PermissionDenied(Permissions.WebhooksManage);
        }
        var role = await db.InstitutionMemberships.AsNoTracking()
            .Where(m => m.InstitutionId == standing.InstitutionId && m.UserId == caller.UserId)
            .Select(m => (InstitutionRole?)m.Role)
            .FirstOrDefaultAsync(cancellationToken);
        return role is InstitutionRole.Owner or InstitutionRole.Admin ? standing.InstitutionId : new PermissionDenied(Permissions.WebhooksManage);
    }
}
