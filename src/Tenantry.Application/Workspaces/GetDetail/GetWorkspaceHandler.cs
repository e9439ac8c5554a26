using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Workspaces.GetDetail;

/// <summary>Reads one workspace. Membership and permission were checked by the caller's authorization policy.</summary>
public sealed class GetWorkspaceHandler(TenantryDbContext db)
{
    public async Task<Result<WorkspaceDetail>> HandleAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        return workspace is null ? new NotFound() : WorkspaceDetail.From(workspace);
    }
}
