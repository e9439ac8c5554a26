using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts;
using Tenantry.Application.Common;
using Tenantry.Application.Outbox;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations.Resend;

/// <summary>
/// Sends a pending invitation again with a fresh expiry and a new token (<c>members.invite</c>);
/// also one whose time ran out but that nobody replaced. The token of every earlier email stops
/// working. Revoked, declined and accepted ones answer <see cref="InvitationNotPending"/>. Under the
/// workspace lock, so it cannot cross an accept or a decline (which decide on the token they
/// reload under the same lock). Counts against the inviter's invitation allowance, as it sends an
/// email just like a new invitation.
/// </summary>
public sealed class ResendInvitationHandler(
    TenantryDbContext db, InvitationEmails emails, OutboxSignal outbox, AccountThrottle throttle, TimeProvider clock)
{
    public async Task<Result<InvitationView>> HandleAsync(WorkspaceStanding standing, string invitationId, Caller caller, CancellationToken cancellationToken)
    {
        if (throttle.TryAcquire(ThrottledAction.InvitationCreation, caller.UserId) is { } retryAfter)
        {
            return new RateLimited(retryAfter);
        }
        var invitation = await InvitationQueries.FindAsync(db, standing.WorkspaceId, invitationId, cancellationToken);
        if (invitation is null)
        {
            return new NotFound();
        }
        var renewed = await db.InTransactionAsync<Result>(async transaction =>
        {
            await db.LockWorkspaceAsync(standing.WorkspaceId, cancellationToken);
            await db.Entry(invitation).ReloadAsync(cancellationToken);
            if (db.Entry(invitation).State == EntityState.Detached)
            {
                // Deleted meanwhile, with the role it offered.
                return new NotFound();
            }
            if (invitation.Status != InvitationStatus.Pending)
            {
                return new InvitationNotPending();
            }
            var now = clock.GetUtcNow();
            var (token, tokenHash) = InvitationEmails.NewToken();
            invitation.Renew(emails.ValidFor, tokenHash, now);
            db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.InvitationResent,
                AuditTargets.Invitation, invitation.Id, caller.ClientIpText, AuditDetails.Of(("email", invitation.Email), ("expiresAt", invitation.ExpiresAt)), now));
            await emails.QueueAsync(invitation, token, caller.UserId, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
        if (!renewed.IsSuccess)
        {
            return renewed.Error;
        }
        outbox.Notify();
        return await InvitationQueries.OneAsync(db, invitation.InstitutionId, invitation.Id, cancellationToken) is { } view ? view : new NotFound();
    }
}
