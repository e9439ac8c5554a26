using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.Users;

/// <summary>The account's trail (its address verified or unverified, disabled, enabled, signed out, MFA reset: how and by whom), newest first, at most <see cref="Limit"/> events.</summary>
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
