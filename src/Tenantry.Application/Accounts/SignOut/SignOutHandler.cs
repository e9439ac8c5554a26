using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.SignOut;

/// <summary>Revokes the caller's session: its access tokens, refresh tokens and cookie stop working at once.</summary>
public sealed class SignOutHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        await db.Sessions.RevokeAsync(caller.SessionId, SessionRevocation.SignedOut, clock.GetUtcNow(), cancellationToken);
        return Result.Success;
    }
}
