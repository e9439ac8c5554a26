using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations.Decline;

/// <summary>
/// The invitee says no. Only the account whose email matches sees the invitation; declining
/// twice is a no-op; an invitation that was accepted, revoked or ran out answers
/// <see cref="InvitationNotPending"/>. Under the workspace lock, so it cannot cross an accept.
/// </summary>
public sealed class DeclineInvitationHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string invitationId, Caller caller, CancellationToken cancellationToken)
    {
        var invitation = await InvitationQueries.FindAddressedToAsync(db, invitationId, caller.UserId, cancellationToken);
        if (invitation is null)
        {
            return new NotFound();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockWorkspaceAsync(invitation.WorkspaceId, cancellationToken);
        await db.Entry(invitation).ReloadAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (invitation.Status == InvitationStatus.Declined)
        {
            return Result.Success;
        }
        if (!invitation.IsPendingAt(now))
        {
            return new InvitationNotPending();
        }
        invitation.Decline(now);
        db.AuditEvents.Add(AuditEvent.Record(invitation.InstitutionId, invitation.WorkspaceId, caller.UserId, AuditActions.InvitationDeclined,
            AuditTargets.Invitation, invitation.Id, caller.ClientIpText, "{}", now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Success;
    }
}
