using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.Policies;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.Update;

/// <summary>
/// Applies a member's partial update. Permission <c>workspace.update</c> was checked by the
/// authorization policy; setting or clearing <c>policyConfig</c> also needs <c>policies.manage</c>,
/// must leave the workspace enterable for the request that sets it, and writes its own audit event
/// with the policy before and after.
/// </summary>
public sealed class UpdateWorkspaceHandler(TenantryDbContext db, IValidator<UpdateWorkspaceCommand> validator, TimeProvider clock)
{
    public async Task<Result<WorkspaceDetail>> HandleAsync(
        WorkspaceStanding standing, UpdateWorkspaceCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        if (command.PolicyConfig.HasValue && !standing.Grants(Permissions.PoliciesManage))
        {
            return new PermissionDenied(Permissions.PoliciesManage);
        }
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == standing.WorkspaceId, cancellationToken);
        if (workspace is null)
        {
            return new NotFound();
        }
        if (command.PolicyConfig.HasValue && await LockOutAsync(workspace, command.PolicyConfig.Value?.ToPolicy(), caller, cancellationToken) is { } lockOut)
        {
            return lockOut;
        }

        var now = clock.GetUtcNow();
        var changed = new List<string>();
        if (command.WorkspaceName.HasValue)
        {
            workspace.Rename(command.WorkspaceName.Value!, now);
            changed.Add("workspaceName");
        }
        if (command.WorkspaceTimezone.HasValue)
        {
            workspace.ChangeTimezone(command.WorkspaceTimezone.Value!, now);
            changed.Add("workspaceTimezone");
        }
        if (command.ExtraData.HasValue)
        {
            workspace.SetExtraData(command.ExtraData.Value, now);
            changed.Add("extraData");
        }
        if (command.PolicyConfig.HasValue)
        {
            var before = workspace.Policy;
            workspace.SetPolicy(command.PolicyConfig.Value?.ToPolicy(), now);
            db.AuditEvents.Add(AuditEvent.Record(workspace.InstitutionId, workspace.Id, caller.UserId, AuditActions.PolicyUpdated,
                AuditTargets.Workspace, workspace.Id, caller.ClientIpText, PolicyAudit.Details(before, workspace.Policy), now));
        }
        if (changed.Count > 0)
        {
            db.AuditEvents.Add(AuditEvent.Record(workspace.InstitutionId, workspace.Id, caller.UserId, AuditActions.WorkspaceUpdated,
                AuditTargets.Workspace, workspace.Id, caller.ClientIpText, AuditDetails.Of(("fields", changed)), now));
        }
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return WorkspaceDetail.From(workspace);
    }

    /// <summary>The refusal when <paramref name="policy"/> would shut the caller's own request out of the workspace, else null.</summary>
    private async Task<PolicyLocksOutCaller?> LockOutAsync(Workspace workspace, WorkspacePolicy? policy, Caller caller, CancellationToken cancellationToken)
    {
        var institution = await db.Institutions.AsNoTracking().Where(i => i.Id == workspace.InstitutionId)
            .Select(i => new { i.IpAllowlist, i.EnforceMfa }).FirstAsync(cancellationToken);
        var decision = Eligibility.Decide(new EligibilityFacts(
            workspace.Status, MembershipStatus.Active, policy, institution.IpAllowlist, institution.EnforceMfa, caller.ClientIp, caller.MfaVerified));
        return decision.Enterable ? null : new PolicyLocksOutCaller(decision.Restriction);
    }
}
