using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Sessions;

/// <summary>
/// Signs one of the caller's own sessions out (another device, or this one): its tokens and cookie stop working at once.
/// A session of another user, or one already ended, is <see cref="NotFound"/>, the same answer as an id that never existed.
/// </summary>
public sealed class SignOutSessionHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string? sessionId, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!EntityId.LooksValid(sessionId, EntityId.Session)
            || !await db.Sessions.AnyAsync(s => s.Id == sessionId && s.UserId == caller.UserId && s.RevokedAt == null && s.ExpiresAt > now.UtcDateTime, cancellationToken))
        {
            return new NotFound();
        }
        await db.Sessions.RevokeAsync(sessionId!, SessionRevocation.SignedOut, now, cancellationToken);
        return Result.Success;
    }
}
