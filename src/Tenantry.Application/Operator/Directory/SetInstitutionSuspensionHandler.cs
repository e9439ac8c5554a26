using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Operator.Directory;

/// <summary>An institution suspended or resumed: how many of its workspaces changed status.</summary>
public sealed record InstitutionSuspensionView(AdminInstitutionView Institution, int WorkspacesChanged, int Workspaces);

/// <summary>
/// Suspends (or resumes) an institution: an institution has no status of its own, so this sets
/// every one of its workspaces to SUSPENDED (or ACTIVE), under the institution lock, with one
/// audit event for the institution and one for each workspace whose status changed. Resuming reactivates every workspace of the institution,
/// including one suspended on its own before. Defaults stay where they are, as for a single
/// workspace (CONTRACT 5).
/// </summary>
public sealed class SetInstitutionSuspensionHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result<InstitutionSuspensionView>> HandleAsync(string institutionId, bool suspended, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Result<InstitutionSuspensionView>>(async transaction =>
        {
            if (!await db.LockInstitutionAsync(institutionId, cancellationToken))
            {
                return new NotFound();
            }
            var now = clock.GetUtcNow();
            var status = suspended ? WorkspaceStatus.Suspended : WorkspaceStatus.Active;
            var workspaces = await db.Workspaces.Where(w => w.InstitutionId == institutionId).ToListAsync(cancellationToken);
            var changed = 0;
            foreach (var workspace in workspaces.Where(w => w.Status != status))
            {
                // Each workspace's change is also its own event, so its trail shows it and webhooks deliver it
                // (institution.* actions are not webhook events), with the same details as a single workspace's.
                db.AuditEvents.Add(AuditEvent.Record(institutionId, workspace.Id, AuditActors.Operator,
                    suspended ? AuditActions.WorkspaceSuspended : AuditActions.WorkspaceReactivated, AuditTargets.Workspace, workspace.Id, null,
                    AuditDetails.Of(("from", WorkspaceCodes.Status(workspace.Status)), ("to", WorkspaceCodes.Status(status)), ("institutionWide", true)), now));
                workspace.SetStatus(status, now);
                changed++;
            }
            db.AuditEvents.Add(AuditEvent.Record(institutionId, null, AuditActors.Operator,
                suspended ? AuditActions.InstitutionSuspended : AuditActions.InstitutionResumed, AuditTargets.Institution, institutionId, null,
                AuditDetails.Of(("workspacesChanged", changed)), now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            var institution = await db.Institutions.AsNoTracking().FirstAsync(i => i.Id == institutionId, cancellationToken);
            return new InstitutionSuspensionView(AdminInstitutionView.From(institution), changed, workspaces.Count);
        }, cancellationToken);
    }
}
