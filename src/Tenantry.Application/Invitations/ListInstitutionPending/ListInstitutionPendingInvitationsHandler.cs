using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Institutions;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Invitations.ListInstitutionPending;

/// <summary>
/// A page of the pending invitations of an institution's workspaces, newest first (Wacht's organization invitation list;
/// every Tenantry invitation is to a workspace). Those who run the institution see every workspace's; any other member
/// sees those of the workspaces where they may invite (<c>members.invite</c>, decided as the workspace's own list decides
/// it), which may be none. Not a member: <see cref="NotFound"/>.
/// </summary>
public sealed class ListInstitutionPendingInvitationsHandler(TenantryDbContext db, WorkspaceAccess access, TimeProvider clock)
{
    public async Task<Result<Paged<InvitationView>>> HandleAsync(string institutionId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        var standing = await InstitutionStandings.DecideAsync(db, institutionId, caller, managerOnly: false, cancellationToken);
        if (!standing.IsSuccess)
        {
            return standing.Error;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = db.Invitations.Where(i => i.InstitutionId == institutionId && i.Status == InvitationStatus.Pending && i.ExpiresAt > now);
        if (!standing.Value.CanManage)
        {
            var visible = await InvitingWorkspacesAsync(institutionId, caller, cancellationToken);
            pending = pending.Where(i => visible.Contains(i.WorkspaceId));
        }
        var total = await pending.CountAsync(cancellationToken);
        var items = await InvitationQueries.Views(db, pending).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<InvitationView>(items, page, total);
    }

    private async Task<List<string>> InvitingWorkspacesAsync(string institutionId, Caller caller, CancellationToken cancellationToken)
    {
        var workspaceIds = await db.WorkspaceMemberships.AsNoTracking()
            .Where(m => m.UserId == caller.UserId && m.InstitutionId == institutionId)
            .Select(m => m.WorkspaceId)
            .ToListAsync(cancellationToken);
        var inviting = new List<string>();
        foreach (var workspaceId in workspaceIds)
        {
            if ((await access.CheckAsync(workspaceId, caller, Permissions.MembersInvite, cancellationToken)).IsSuccess)
            {
                inviting.Add(workspaceId);
            }
        }
        return inviting;
    }
}
