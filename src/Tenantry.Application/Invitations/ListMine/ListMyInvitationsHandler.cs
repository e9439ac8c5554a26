using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations.ListMine;

/// <summary>
/// The pending, unexpired invitations addressed to the caller's email, newest first; only once that
/// address is verified (an unverified one is only a claim: the list is empty). An invitation reached
/// by its token instead is answered with the token, never listed.
/// </summary>
public sealed class ListMyInvitationsHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<InvitationView>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == caller.UserId)
            .Select(u => new { u.NormalizedEmail, u.EmailVerifiedAt }).FirstAsync(cancellationToken);
        if (user.EmailVerifiedAt is null)
        {
            return [];
        }
        var mine = db.Invitations.Where(i => i.NormalizedEmail == user.NormalizedEmail && i.Status == InvitationStatus.Pending && i.ExpiresAt > now);
        return await InvitationQueries.Views(db, mine).ToListAsync(cancellationToken);
    }
}
