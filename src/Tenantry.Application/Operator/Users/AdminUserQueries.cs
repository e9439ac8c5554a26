using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.Users;

/// <summary>An account as the operator sees it; unknown ids (or nothing id-shaped) are <see cref="NotFound"/>.</summary>
public sealed class AdminGetUserHandler(TenantryDbContext db)
{
    public async Task<Result<AdminUserView>> HandleAsync(string? userId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(userId, EntityId.User)
        && await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) is { } user
            ? AdminUserView.From(user)
            : new NotFound();
}

/// <summary>The account's trail (who verified its address, and how), newest first, at most <see cref="Limit"/> events.</summary>
public sealed class AdminListUserEventsHandler(TenantryDbContext db)
{
    public const int Limit = 100;

    public async Task<Result<IReadOnlyList<AccountEventView>>> HandleAsync(string? userId, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(userId, EntityId.User) || !await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return new NotFound();
        }
        var events = await db.AccountEvents.AsNoTracking().Where(e => e.UserId == userId)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(Limit).ToListAsync(cancellationToken);
        return events.Select(AccountEventView.From).ToList();
    }
}
