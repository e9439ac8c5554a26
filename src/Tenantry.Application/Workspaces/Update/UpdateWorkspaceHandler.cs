using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Workspaces.Update;

/// <summary>Applies a member's partial update. Permission <c>workspace.update</c> was checked by the authorization policy.</summary>
public sealed class UpdateWorkspaceHandler(TenantryDbContext db, IValidator<UpdateWorkspaceCommand> validator, TimeProvider clock)
{
    public async Task<Result<WorkspaceDetail>> HandleAsync(
        string workspaceId, UpdateWorkspaceCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        if (workspace is null)
        {
            return new NotFound();
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
            workspace.SetPolicy(command.PolicyConfig.Value?.ToPolicy(), now);
            changed.Add("policyConfig");
        }
        if (changed.Count > 0)
        {
            db.AuditEvents.Add(AuditEvent.Record(workspace.InstitutionId, workspace.Id, caller.UserId, AuditActions.WorkspaceUpdated,
                AuditTargets.Workspace, workspace.Id, caller.ClientIpText, AuditDetails.Of(("fields", changed)), now));
            await db.SaveChangesAsync(cancellationToken);
        }
        return WorkspaceDetail.From(workspace);
    }
}
