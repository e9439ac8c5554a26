using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Invitations.Revoke;

/// <summary>Withdraws a pending invitation (<c>members.invite</c>); anything else answers <see cref="InvitationNotPending"/>.</summary>
public sealed class RevokeInvitationHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result<InvitationView>> HandleAsync(WorkspaceStanding standing, string invitationId, Caller caller, CancellationToken cancellationToken)
    {
        var invitation = await InvitationQueries.FindAsync(db, standing.WorkspaceId, invitationId, cancellationToken);
        if (invitation is null)
        {
            return new NotFound();
        }
        var now = clock.GetUtcNow();
        if (!invitation.IsPendingAt(now))
        {
            return new InvitationNotPending();
        }
        invitation.Revoke(now);
        db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.InvitationRevoked,
            AuditTargets.Invitation, invitation.Id, caller.ClientIpText, AuditDetails.Of(("email", invitation.Email)), now));
        await db.SaveChangesAsync(cancellationToken);
        return await InvitationQueries.OneAsync(db, invitation.InstitutionId, invitation.Id, cancellationToken) is { } view ? view : new NotFound();
    }
}
