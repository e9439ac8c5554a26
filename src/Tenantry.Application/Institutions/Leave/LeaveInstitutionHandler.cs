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
            var workspaceMemberships = await InstitutionDepartures.LockAsync(db, institutionId, caller.UserId, cancellationToken);

            var membership = await db.InstitutionMemberships
                .FirstOrDefaultAsync(m => m.UserId == caller.UserId && m.InstitutionId == institutionId, cancellationToken);
            if (membership is null)
            {
                return new NotAnInstitutionMember();
            }
            if (await InstitutionStandings.IsIndispensableAsync(db, membership, cancellationToken))
            {
                return new SoleInstitutionOwner();
            }
            if (await InstitutionDepartures.WorkspaceLeftWithoutOwnerAsync(db, workspaceMemberships, cancellationToken) is not null)
            {
                return new LastOwner();
            }

            var now = clock.GetUtcNow();
            await InstitutionDepartures.EndAsync(db, membership, cancellationToken);
            db.AuditEvents.Add(AuditEvent.Record(institutionId, null, caller.UserId, AuditActions.InstitutionLeft,
                AuditTargets.Member, caller.UserId, caller.ClientIpText, "{}", now));
            await WorkspaceDepartures.LeaveAsync(db, workspaceMemberships, caller, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
