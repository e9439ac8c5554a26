using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Institutions;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.CreateSelf;

/// <summary>
/// Creates the caller's own workspace: in the institution they own (a new one if none),
/// with the built-in Owner and Member roles, the caller as Owner (joinSource CREATED), and
/// as their default when they have none. One self-created workspace per user; the unique
/// index on <c>self_created_by</c> holds that under concurrent requests.
/// </summary>
public sealed class CreateSelfWorkspaceHandler(TenantryDbContext db, IValidator<CreateSelfWorkspaceCommand> validator, TimeProvider clock)
{
    private const int Attempts = 3;

    public async Task<Result<WorkspaceDetail>> HandleAsync(CreateSelfWorkspaceCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CreateAsync(command, caller, cancellationToken);
            }
            catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.SelfCreatedWorkspace))
            {
                return new AlreadyOwnsWorkspace();
            }
            catch (DbUpdateException e) when (attempt < Attempts && IsRetriableRace(e))
            {
                // A concurrent request set a default or joined the institution first; decide again on fresh state.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// A named institution must be the one the caller owns (a member who does not own it may not, anyone else does not see it);
    /// a new institution cannot be founded by someone who owns one.
    /// </summary>
    private async Task<DomainError?> RefuseInstitutionAsync(
        CreateSelfWorkspaceCommand command, Institution? owned, Caller caller, CancellationToken cancellationToken)
    {
        if (command.NewInstitution && owned is not null)
        {
            return new AlreadyOwnsWorkspace();
        }
        if (command.InstitutionId is null || owned?.Id == command.InstitutionId)
        {
            return null;
        }
        var member = await db.InstitutionMemberships.AnyAsync(m => m.InstitutionId == command.InstitutionId && m.UserId == caller.UserId, cancellationToken);
        return member ? new PermissionDenied("institution.owner") : new NotFound();
    }

    private static bool IsRetriableRace(DbUpdateException e) =>
        DatabaseErrors.IsUniqueViolation(e, UniqueKeys.DefaultWorkspace) || DatabaseErrors.IsUniqueViolation(e, UniqueKeys.InstitutionMember);

    private async Task<Result<WorkspaceDetail>> CreateAsync(CreateSelfWorkspaceCommand command, Caller caller, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Result<WorkspaceDetail>>(async transaction =>
        {
            await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);
            if (await db.Workspaces.AnyAsync(w => w.SelfCreatedBy == caller.UserId, cancellationToken))
            {
                return new AlreadyOwnsWorkspace();
            }
            var now = clock.GetUtcNow();
            var institution = await db.Institutions.FirstOrDefaultAsync(i => i.OwnerUserId == caller.UserId, cancellationToken);
            if (await RefuseInstitutionAsync(command, institution, caller, cancellationToken) is { } refused)
            {
                return refused;
            }
            if (institution is null)
            {
                institution = Institution.CreateSelfService(command.InstitutionName ?? command.WorkspaceName!, caller.UserId, now);
                db.Institutions.Add(institution);
            }
            await InstitutionJoining.EnsureMemberAsync(db, institution, caller.UserId, InstitutionRole.Owner, now, cancellationToken);

            var workspace = Workspace.CreateSelfService(
                institution.Id, command.WorkspaceName!, WorkspaceCodes.ParseKind(command.WorkspaceKind),
                command.WorkspaceTimezone ?? Timezones.Default, caller.UserId, now);
            var owner = WorkspaceRole.CreateOwner(institution.Id, workspace.Id, now);
            var member = WorkspaceRole.CreateMember(institution.Id, workspace.Id, now);
            var membership = WorkspaceMembership.Join(institution.Id, workspace.Id, caller.UserId, owner.Id, JoinSource.Created, now);
            var hasDefault = await db.WorkspaceMemberships.AnyAsync(m => m.UserId == caller.UserId && m.IsDefault, cancellationToken);
            if (!hasDefault)
            {
                membership.SetDefault(true, now);
            }
            workspace.MemberAdded();

            db.Workspaces.Add(workspace);
            db.WorkspaceRoles.AddRange(owner, member);
            db.WorkspaceMemberships.Add(membership);
            db.AuditEvents.Add(AuditEvent.Record(institution.Id, workspace.Id, caller.UserId, AuditActions.WorkspaceCreated,
                AuditTargets.Workspace, workspace.Id, caller.ClientIpText, "{}", now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return WorkspaceDetail.From(workspace);
        }, cancellationToken);
    }
}
