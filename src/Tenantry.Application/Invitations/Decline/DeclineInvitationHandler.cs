using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations.Decline;

/// <summary>
/// The invitee says no. The same accounts may decline as may accept (<see cref="InvitationAccess"/>:
/// the token, or a verified address equal to the invited one), and a token for the account's own
/// unverified address verifies it here too; to every other account the invitation does not exist.
/// Declining twice is a no-op; an invitation that was accepted, revoked or ran out answers
/// <see cref="InvitationNotPending"/>. Under the workspace lock, so it cannot cross an accept or a
/// resend, and the claim is decided again under it.
/// </summary>
public sealed class DeclineInvitationHandler(TenantryDbContext db, EmailVerifications verifications, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string invitationId, string? token, Caller caller, CancellationToken cancellationToken)
    {
        if (await InvitationQueries.FindClaimableAsync(db, invitationId, token, caller.UserId, cancellationToken) is not { } found)
        {
            return new NotFound();
        }
        var invitation = found.Invitation;
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            await db.LockWorkspaceAsync(invitation.WorkspaceId, cancellationToken);
            var claim = await InvitationQueries.ReclaimAsync(db, invitation, token, caller.UserId, cancellationToken);
            if (claim == InvitationClaim.None)
            {
                return new NotFound();
            }
            var now = clock.GetUtcNow();
            if (invitation.Status == InvitationStatus.Declined)
            {
                return Result.Success;
            }
            if (!invitation.IsPendingAt(now))
            {
                return new InvitationNotPending();
            }
            if (claim == InvitationClaim.TokenForOwnAddress)
            {
                var user = await db.Users.FirstAsync(u => u.Id == caller.UserId, cancellationToken);
                await verifications.MarkVerifiedAsync(user, EmailVerificationMethods.Invitation, caller.UserId, caller.ClientIpText, now, cancellationToken);
            }
            invitation.Decline(now);
            db.AuditEvents.Add(AuditEvent.Record(invitation.InstitutionId, invitation.WorkspaceId, caller.UserId, AuditActions.InvitationDeclined,
                AuditTargets.Invitation, invitation.Id, caller.ClientIpText, InvitationAnswers.Details(claim, invitation), now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
