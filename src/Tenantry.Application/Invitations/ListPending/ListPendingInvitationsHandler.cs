using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations.ListPending;

/// <summary>A page of the workspace's invitations still waiting for an answer (<c>members.invite</c>), newest first.</summary>
public sealed class ListPendingInvitationsHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Paged<InvitationView>> HandleAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = db.Invitations.Where(i => i.WorkspaceId == workspaceId && i.Status == InvitationStatus.Pending && i.ExpiresAt > now);
        var total = await pending.CountAsync(cancellationToken);
        var items = await InvitationQueries.Views(db, pending).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<InvitationView>(items, page, total);
    }
}
