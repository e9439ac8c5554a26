using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts;
using Tenantry.Application.Common;
using Tenantry.Application.Outbox;
using Tenantry.Application.Roles;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations.Create;

/// <summary>
/// Invites an email address into the workspace in a role (<c>members.invite</c>). The role
/// may not exceed the inviter's own permissions; the address may not belong to a member.
/// At most one pending invitation per address and workspace: the partial unique index
/// decides between concurrent requests, after invitations that have run out are marked
/// expired so that they do not block a new one. The email is queued in the outbox in the
/// same transaction. Each inviter may send only so many per hour (the host also limits per
/// client IP), so that a stolen account cannot be turned into a mail cannon.
/// </summary>
public sealed class CreateInvitationHandler(
    TenantryDbContext db, IValidator<CreateInvitationCommand> validator, InvitationEmails emails, OutboxSignal outbox,
    AccountThrottle throttle, TimeProvider clock)
{
    public async Task<Result<InvitationView>> HandleAsync(
        WorkspaceStanding standing, CreateInvitationCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        if (throttle.TryAcquire(ThrottledAction.InvitationCreation, caller.UserId) is { } retryAfter)
        {
            return new RateLimited(retryAfter);
        }
        var role = await RoleLookup.FindAsync(db, standing.WorkspaceId, command.RoleBizId, cancellationToken);
        if (role is null)
        {
            return UnknownRole();
        }
        if (!standing.MayGrant(role))
        {
            return new RoleExceedsGrantor();
        }
        EmailAddress.TryParse(command.Email, out var email);
        // The account first, then its membership: each step names its key, so on Citus the second
        // goes to the account's shard alone rather than to every shard (memberships are keyed by user).
        var inviteeId = await db.Users.Where(u => u.NormalizedEmail == email.Normalized).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
        if (inviteeId is not null
            && await db.WorkspaceMemberships.AnyAsync(m => m.WorkspaceId == standing.WorkspaceId && m.UserId == inviteeId, cancellationToken))
        {
            return new AlreadyMember();
        }

        var now = clock.GetUtcNow();
        var (token, tokenHash) = InvitationEmails.NewToken();
        var invitation = Invitation.Create(standing.InstitutionId, standing.WorkspaceId, email, role.Id, caller.UserId, emails.ValidFor, tokenHash, now);
        try
        {
            await db.InTransactionAsync(async transaction =>
            {
                await ExpireLapsedAsync(standing, email.Normalized, now, cancellationToken);
                db.Invitations.Add(invitation);
                db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.InvitationCreated,
                    AuditTargets.Invitation, invitation.Id, caller.ClientIpText, AuditDetails.Of(("email", invitation.Email), ("roleBizId", role.Id)), now));
                await emails.QueueAsync(invitation, token, caller.UserId, now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.PendingInvitation))
        {
            return new InvitationPending();
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsForeignKeyViolation(e))
        {
            // The role was deleted between the check and the insert.
            return UnknownRole();
        }
        outbox.Notify();
        return await InvitationQueries.OneAsync(db, invitation.InstitutionId, invitation.Id, cancellationToken) is { } view ? view : new NotFound();
    }

    private static ValidationFailed UnknownRole() => new(new FieldError("$.RoleBizId", ValidationCodes.InvalidId));

    /// <summary>Marks the lapsed pending invitations to this email expired (each audited as <c>invitation.expired</c>), so they never block a new one.</summary>
    private async Task ExpireLapsedAsync(WorkspaceStanding standing, string normalizedEmail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.UtcDateTime;
        var lapsed = await db.Invitations
            .Where(i => i.InstitutionId == standing.InstitutionId && i.WorkspaceId == standing.WorkspaceId
                && i.NormalizedEmail == normalizedEmail && i.Status == InvitationStatus.Pending && i.ExpiresAt <= at)
            .Select(i => new { i.Id, i.Email })
            .ToListAsync(cancellationToken);
        if (lapsed.Count == 0)
        {
            return;
        }
        var ids = lapsed.Select(i => i.Id).ToList();
        await db.Invitations
            .Where(i => i.InstitutionId == standing.InstitutionId && ids.Contains(i.Id) && i.Status == InvitationStatus.Pending)
            .ExecuteUpdateAsync(i => i
                .SetProperty(x => x.Status, InvitationStatus.Expired)
                .SetProperty(x => x.RespondedAt, at)
                .SetProperty(x => x.UpdatedAt, at), cancellationToken);
        foreach (var invitation in lapsed)
        {
            db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, null, AuditActions.InvitationExpired,
                AuditTargets.Invitation, invitation.Id, null, AuditDetails.Of(("email", invitation.Email)), now));
        }
    }
}
