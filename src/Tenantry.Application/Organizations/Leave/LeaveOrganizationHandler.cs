using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;

namespace Tenantry.Application.Organizations.Leave;

/// <summary>
/// The caller leaves an organization (Wacht <c>POST /organizations/{id}/leave</c>). A workspace
/// membership lives inside the organization membership, so the caller also leaves every
/// workspace of the organization; the default workspace, if it was one of them, moves on as
/// on any leave. Refused, with nothing changed, when the caller is the one who runs the
/// organization (<see cref="SoleOrganizationOwner"/>) or the last owner of one of its
/// workspaces (<see cref="LastOwner"/>): ownership has to be transferred first. Locks: the
/// institution (two managers leaving at once), then the workspaces, then the user.
/// </summary>
public sealed class LeaveOrganizationHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string organizationId, Caller caller, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(organizationId, EntityId.Institution))
        {
            return new NotAnOrganizationMember();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.LockInstitutionAsync(organizationId, cancellationToken))
        {
            return new NotAnOrganizationMember();
        }
        var workspaceIds = await db.WorkspaceMemberships
            .Where(m => m.UserId == caller.UserId && m.InstitutionId == organizationId)
            .OrderBy(m => m.WorkspaceId)
            .Select(m => m.WorkspaceId)
            .ToListAsync(cancellationToken);
        foreach (var workspaceId in workspaceIds)
        {
            await db.LockWorkspaceAsync(workspaceId, cancellationToken);
        }
        await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);

        var membership = await db.OrganizationMemberships
            .FirstOrDefaultAsync(m => m.UserId == caller.UserId && m.InstitutionId == organizationId, cancellationToken);
        if (membership is null)
        {
            return new NotAnOrganizationMember();
        }
        var otherRoles = await db.OrganizationMemberships
            .Where(m => m.InstitutionId == organizationId && m.Id != membership.Id)
            .Select(m => m.Role)
            .Distinct()
            .ToListAsync(cancellationToken);
        if (OrganizationManagers.IsIndispensable(membership.Role, otherRoles))
        {
            return new SoleOrganizationOwner();
        }
        var workspaceMemberships = await db.WorkspaceMemberships
            .Where(m => m.UserId == caller.UserId && m.InstitutionId == organizationId)
            .ToListAsync(cancellationToken);
        foreach (var workspaceMembership in workspaceMemberships)
        {
            if (await WorkspaceOwners.IsLastOwnerAsync(db, workspaceMembership, cancellationToken))
            {
                return new LastOwner();
            }
        }

        var now = clock.GetUtcNow();
        var institution = await db.Institutions.FirstAsync(i => i.Id == organizationId, cancellationToken);
        db.OrganizationMemberships.Remove(membership);
        institution.MemberRemoved();
        db.AuditEvents.Add(AuditEvent.Record(organizationId, null, caller.UserId, AuditActions.OrganizationLeft,
            AuditTargets.Member, caller.UserId, caller.ClientIpText, "{}", now));
        await WorkspaceDepartures.LeaveAsync(db, workspaceMemberships, caller, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Success;
    }
}
