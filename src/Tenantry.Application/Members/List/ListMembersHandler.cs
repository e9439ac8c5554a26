using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;

namespace Tenantry.Application.Members.List;

/// <summary>A page of a workspace's members (<c>members.read</c>), in the order they joined.</summary>
public sealed class ListMembersHandler(TenantryDbContext db)
{
    public async Task<Paged<MemberView>> HandleAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        var all = MemberQueries.Members(db, workspaceId);
        var total = await all.CountAsync(cancellationToken);
        var items = await all.Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<MemberView>(items, page, total);
    }
}
