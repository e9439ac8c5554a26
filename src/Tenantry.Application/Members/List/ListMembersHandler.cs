using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;

namespace Tenantry.Application.Members.List;

/// <summary>A page of a workspace's members (<c>members.read</c>), in the order they joined.</summary>
public sealed class ListMembersHandler(TenantryDbContext db)
{
    /// <summary>The longest search text taken; longer input is cut, as no email or name is longer.</summary>
    public const int MaxSearchLength = 254;

    public Task<Paged<MemberView>> HandleAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken) =>
        HandleAsync(workspaceId, page, null, cancellationToken);

    /// <summary>
    /// With <paramref name="search"/>: only members whose email or display name contains it, case-insensitively
    /// (the workspace's memberships are found through their index first, then matched).
    /// </summary>
    public async Task<Paged<MemberView>> HandleAsync(string workspaceId, PageRequest page, string? search, CancellationToken cancellationToken)
    {
        var text = search?.Trim();
        var lowered = string.IsNullOrEmpty(text) ? null : text[..Math.Min(text.Length, MaxSearchLength)].ToLowerInvariant();
        var all = MemberQueries.Members(db, workspaceId, search: lowered);
        var total = await all.CountAsync(cancellationToken);
        var items = await all.Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<MemberView>(items, page, total);
    }
}
