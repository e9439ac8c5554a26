using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Invitations.Locate;

/// <summary>
/// The workspace an invitation belongs to, for front ends that name an invitation without its workspace (Wacht's
/// organization invitations); null when the id names none. Whoever asks must then be checked in that workspace.
/// </summary>
public sealed class LocateInvitationHandler(TenantryDbContext db)
{
    public async Task<string?> HandleAsync(string? invitationId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(invitationId, EntityId.Invitation)
            ? await db.Invitations.AsNoTracking().Where(i => i.Id == invitationId).Select(i => i.WorkspaceId).FirstOrDefaultAsync(cancellationToken)
            : null;
}
