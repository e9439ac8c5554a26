using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Members.Locate;

/// <summary>
/// The member a membership id names in one workspace, for front ends that name members by membership (Wacht) while the
/// member use cases take the user; null when the id names no membership of that workspace.
/// </summary>
public sealed class LocateMembershipHandler(TenantryDbContext db)
{
    public async Task<string?> HandleAsync(string workspaceId, string? membershipId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(membershipId, EntityId.WorkspaceMembership)
            ? await db.WorkspaceMemberships.AsNoTracking()
                .Where(m => m.Id == membershipId && m.WorkspaceId == workspaceId)
                .Select(m => m.UserId)
                .FirstOrDefaultAsync(cancellationToken)
            : null;
}
