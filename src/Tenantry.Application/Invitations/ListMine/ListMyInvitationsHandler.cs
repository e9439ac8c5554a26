using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations.ListMine;

/// <summary>The pending, unexpired invitations addressed to the caller's email, newest first.</summary>
public sealed class ListMyInvitationsHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<InvitationView>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var email = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.NormalizedEmail).FirstAsync(cancellationToken);
        var mine = db.Invitations.Where(i => i.NormalizedEmail == email && i.Status == InvitationStatus.Pending && i.ExpiresAt > now);
        return await InvitationQueries.Views(db, mine).ToListAsync(cancellationToken);
    }
}
