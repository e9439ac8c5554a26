using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Common;
using Tenantry.Application.Institutions;
using Tenantry.Application.Workspaces.ListMine;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Invitations.Accept;

/// <summary>
/// The invitee joins: a membership with joinSource INVITED in the invited role, membership of
/// the institution (through <see cref="InstitutionJoining"/>), and the workspace as default
/// when the user has none and it is eligible. Only an account with a claim on the invitation
/// (<see cref="InvitationAccess"/>: its token, or a verified address equal to the invited one)
/// sees it at all; a token for the account's own unverified address also verifies that address.
/// Accepting again is a no-op that answers the same item; concurrent accepts are serialized by
/// the workspace and user locks and make one membership, and the claim is decided again under
/// them (a resend may have replaced the token, a policy may have changed).
/// </summary>
public sealed class AcceptInvitationHandler(TenantryDbContext db, EmailVerifications verifications, TimeProvider clock)
{
    public async Task<Result<MyWorkspace>> HandleAsync(string invitationId, string? token, Caller caller, CancellationToken cancellationToken)
    {
        if (await InvitationQueries.FindClaimableAsync(db, invitationId, token, caller.UserId, cancellationToken) is not { } found)
        {
            return new NotFound();
        }
        var result = await AcceptAsync(found.Invitation, token, caller, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }
        // Null when the new member left (or was removed) between the accept and this read.
        return await MyWorkspaceRows.GetItemAsync(db, caller, found.Invitation.WorkspaceId, cancellationToken) is { } item ? item : new InvitationNotPending();
    }

    private async Task<Result> AcceptAsync(Invitation invitation, string? token, Caller caller, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            await db.LockWorkspaceAsync(invitation.WorkspaceId, cancellationToken);
            await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);
            // Decide on what is committed now that we hold the locks, not on what we read before.
            var claim = await InvitationQueries.ReclaimAsync(db, invitation, token, caller.UserId, cancellationToken);
            if (claim == InvitationClaim.None)
            {
                return new NotFound();
            }
            var membership = await db.WorkspaceMemberships.FirstOrDefaultAsync(m => m.WorkspaceId == invitation.WorkspaceId && m.UserId == caller.UserId, cancellationToken);
            var now = clock.GetUtcNow();
            if (invitation.Status == InvitationStatus.Accepted)
            {
                return membership is not null ? Result.Success : new InvitationNotPending();
            }
            if (invitation.Status == InvitationStatus.Pending && !invitation.IsPendingAt(now))
            {
                invitation.MarkExpired(now);
                db.AuditEvents.Add(AuditEvent.Record(invitation.InstitutionId, invitation.WorkspaceId, null, AuditActions.InvitationExpired,
                    AuditTargets.Invitation, invitation.Id, null, AuditDetails.Of(("email", invitation.Email)), now));
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new InvitationNotPending();
            }
            if (invitation.Status != InvitationStatus.Pending)
            {
                return new InvitationNotPending();
            }

            // Someone who became a member another way keeps that membership as it is.
            var joined = membership is null;
            if (membership is null)
            {
                var workspace = await db.Workspaces.FirstAsync(w => w.Id == invitation.WorkspaceId, cancellationToken);
                membership = WorkspaceMembership.Join(invitation.InstitutionId, workspace.Id, caller.UserId, invitation.RoleId, JoinSource.Invited, now);
                db.WorkspaceMemberships.Add(membership);
                workspace.MemberAdded();
                var hasDefault = await db.WorkspaceMemberships.AnyAsync(m => m.UserId == caller.UserId && m.IsDefault, cancellationToken);
                if (!hasDefault && workspace.Status == WorkspaceStatus.Active)
                {
                    membership.SetDefault(true, now);
                }
                var institution = await db.Institutions.FirstAsync(i => i.Id == invitation.InstitutionId, cancellationToken);
                await InstitutionJoining.EnsureMemberAsync(db, institution, caller.UserId, InstitutionRole.Member, now, cancellationToken);
            }
            if (claim == InvitationClaim.TokenForOwnAddress)
            {
                // The token came by email to the invited address, which is the account's own: that proves the mailbox.
                var user = await db.Users.FirstAsync(u => u.Id == caller.UserId, cancellationToken);
                await verifications.MarkVerifiedAsync(user, EmailVerificationMethods.Invitation, caller.UserId, caller.ClientIpText, now, cancellationToken);
            }
            invitation.Accept(now);
            db.AuditEvents.Add(AuditEvent.Record(invitation.InstitutionId, invitation.WorkspaceId, caller.UserId, AuditActions.InvitationAccepted,
                AuditTargets.Invitation, invitation.Id, caller.ClientIpText, InvitationAnswers.Details(claim, invitation, ("roleBizId", membership.RoleId)), now));
            if (joined)
            {
                db.AuditEvents.Add(AuditEvent.Record(invitation.InstitutionId, invitation.WorkspaceId, caller.UserId, AuditActions.MemberAdded,
                    AuditTargets.Member, caller.UserId, caller.ClientIpText,
                    AuditDetails.Of(("roleBizId", membership.RoleId), ("joinSource", "INVITED"), ("invitationBizId", invitation.Id)), now));
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
