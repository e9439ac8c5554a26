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
    /// With <paramref name="search"/>: only members whose email or display name contains it, case-insensitively.
    /// The page is chosen on the memberships alone (found through the workspace's index, ordered, counted, skipped),
    /// and only its members are joined to their accounts and roles: a late page of a large workspace costs a sort
    /// of its membership rows, not a join of all of them.
    /// </summary>
    public async Task<Paged<MemberView>> HandleAsync(string workspaceId, PageRequest page, string? search, CancellationToken cancellationToken)
    {
        var text = search?.Trim();
        var lowered = string.IsNullOrEmpty(text) ? null : text[..Math.Min(text.Length, MaxSearchLength)].ToLowerInvariant();
        var memberships = db.WorkspaceMemberships.Where(m => m.WorkspaceId == workspaceId);
        if (lowered is not null)
        {
            memberships = memberships.Where(m => db.Users.Any(u => u.Id == m.UserId
                && (u.NormalizedEmail.Contains(lowered) || u.DisplayName.ToLower().Contains(lowered))));
        }
        var total = await memberships.CountAsync(cancellationToken);
        var ids = await memberships.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Skip(page.Skip).Take(page.PageSize)
            .Select(m => m.Id).ToListAsync(cancellationToken);
        var items = ids.Count == 0 ? [] : await MemberQueries.Members(db, workspaceId, membershipIds: ids).ToListAsync(cancellationToken);
        return new Paged<MemberView>(items, page, total);
    }
}
