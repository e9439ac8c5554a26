using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Sessions.Revoke;

/// <summary>
/// Signs out one of the caller's own sessions (another device, or this one): its access tokens, refresh tokens and
/// cookie stop working at once, as with sign-out. Another account's session, or an id that names none, is not found.
/// </summary>
public sealed class RevokeMySessionHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string? sessionId, Caller caller, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId) || !EntityId.LooksValid(sessionId, EntityId.Session)
            || !await db.Sessions.AnyAsync(s => s.Id == sessionId && s.UserId == caller.UserId, cancellationToken))
        {
            return new NotFound();
        }
        await db.Sessions.RevokeAsync(sessionId, SessionRevocation.SignedOut, clock.GetUtcNow(), cancellationToken);
        return Result.Success;
    }
}
