using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Accounts.Me;

/// <summary>An account as its own user sees it.</summary>
public sealed record AccountView(string UserId, string Email, string DisplayName, bool EmailVerified, DateTime? EmailVerifiedAt, DateTime CreatedAt)
{
    public static AccountView From(UserAccount u) => new(u.Id, u.Email, u.DisplayName, u.EmailVerified, u.EmailVerifiedAt, u.CreatedAt);
}

/// <summary>The caller's own account: who they are and whether their address is verified.</summary>
public sealed class GetAccountHandler(TenantryDbContext db)
{
    public async Task<AccountView> HandleAsync(Caller caller, CancellationToken cancellationToken) =>
        AccountView.From(await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken));
}
