using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.Users;

/// <summary>
/// <c>GET /admin/v1/users?query=</c>: accounts whose id equals the query, or whose email or
/// display name contains it (case-insensitive); everyone without a query. Newest first.
/// </summary>
public sealed class SearchUsersHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Paged<AdminUserView>> HandleAsync(string? query, PageRequest page, CancellationToken cancellationToken)
    {
        var users = db.Users.AsQueryable();
        if (!string.IsNullOrWhiteSpace(query))
        {
            var q = query.Trim().ToLowerInvariant();
            var id = query.Trim();
            users = users.Where(u => u.Id == id || u.NormalizedEmail.Contains(q) || u.DisplayName.ToLower().Contains(q));
        }
        var total = await users.CountAsync(cancellationToken);
        var items = await AdminUsers.ViewsAsync(db,
            users.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id).Skip(page.Skip).Take(page.PageSize), clock.GetUtcNow(), cancellationToken);
        return new Paged<AdminUserView>(items, page, total);
    }
}

/// <summary><c>GET /admin/v1/users/{userBizId}</c>; unknown ids (or nothing id-shaped) are <see cref="NotFound"/>.</summary>
public sealed class GetUserHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result<AdminUserView>> HandleAsync(string? userId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(userId, EntityId.User) && await AdminUsers.ViewAsync(db, userId!, clock.GetUtcNow(), cancellationToken) is { } view
            ? view
            : new NotFound();
}
