using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;

namespace Tenantry.Application.Institutions.Leave;

/// <summary>
/// The caller leaves an institution (Wacht <c>POST /organizations/{id}/leave</c>). A workspace
/// membership lives inside the institution membership, so the caller also leaves every
/// workspace of the institution; the default workspace, if it was one of them, moves on as
/// on any leave. Refused, with nothing changed, when the caller is the one who runs the
/// institution (<see cref="SoleInstitutionOwner"/>) or the last owner of one of its
/// workspaces (<see cref="LastOwner"/>): ownership has to be transferred first. Locks: the
/// institution (two managers leaving at once), then the workspaces, then the user.
/// </summary>
public sealed class LeaveInstitutionHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string institutionId, Caller caller, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(institutionId, EntityId.Institution))
        {
            return new NotAnInstitutionMember();
        }
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            if (!await db.LockInstitutionAsync(institutionId, cancellationToken))
            {
                return new NotAnInstitutionMember();
            }
            var workspaceIds = await db.WorkspaceMemberships
                .Where(m => m.UserId == caller.UserId && m.InstitutionId == institutionId)
                .OrderBy(m => m.WorkspaceId)
                .Select(m => m.WorkspaceId)
                .ToListAsync(cancellationToken);
            foreach (var workspaceId in workspaceIds)
            {
                await db.LockWorkspaceAsync(workspaceId, cancellationToken);
            }
            await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);

            var membership = await db.InstitutionMemberships
                .FirstOrDefaultAsync(m => m.UserId == caller.UserId && m.InstitutionId == institutionId, cancellationToken);
            if (membership is null)
            {
                return new NotAnInstitutionMember();
            }
            var otherRoles = await db.InstitutionMemberships
                .Where(m => m.InstitutionId == institutionId && m.Id != membership.Id)
                .Select(m => m.Role)
                .Distinct()
                .ToListAsync(cancellationToken);
            if (InstitutionManagers.IsIndispensable(membership.Role, otherRoles))
            {
                return new SoleInstitutionOwner();
            }
            var workspaceMemberships = await db.WorkspaceMemberships
                .Where(m => m.UserId == caller.UserId && m.InstitutionId == institutionId)
                .ToListAsync(cancellationToken);
            foreach (var workspaceMembership in workspaceMemberships)
            {
                if (await WorkspaceOwners.IsLastOwnerAsync(db, workspaceMembership, cancellationToken))
                {
                    return new LastOwner();
                }
            }

            var now = clock.GetUtcNow();
            var institution = await db.Institutions.FirstAsync(i => i.Id == institutionId, cancellationToken);
            db.InstitutionMemberships.Remove(membership);
            institution.MemberRemoved();
            db.AuditEvents.Add(AuditEvent.Record(institutionId, null, caller.UserId, AuditActions.InstitutionLeft,
                AuditTargets.Member, caller.UserId, caller.ClientIpText, "{}", now));
            await WorkspaceDepartures.LeaveAsync(db, workspaceMemberships, caller, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
