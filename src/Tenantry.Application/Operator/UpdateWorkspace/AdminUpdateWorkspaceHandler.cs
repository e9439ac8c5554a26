using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Operator.UpdateWorkspace;

/// <summary>Applies an operator's update. Suspension keeps every member's default where it is (CONTRACT 5).</summary>
public sealed class AdminUpdateWorkspaceHandler(TenantryDbContext db, IValidator<AdminUpdateWorkspaceCommand> validator, TimeProvider clock)
{
    public async Task<Result<AdminWorkspaceView>> HandleAsync(string workspaceId, AdminUpdateWorkspaceCommand command, CancellationToken cancellationToken)
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
        if (command.WorkspaceStatus.HasValue)
        {
            var status = WorkspaceCodes.ParseStatus(command.WorkspaceStatus.Value!);
            if (status != workspace.Status)
            {
                // Suspension and reactivation are events of their own (webhooks deliver them by these names).
                db.AuditEvents.Add(AuditEvent.Record(workspace.InstitutionId, workspace.Id, AuditActors.Operator,
                    status == WorkspaceStatus.Suspended ? AuditActions.WorkspaceSuspended : AuditActions.WorkspaceReactivated,
                    AuditTargets.Workspace, workspace.Id, null, AuditDetails.Of(("from", workspace.Status.ToString().ToUpperInvariant()), ("to", command.WorkspaceStatus.Value)), now));
            }
            workspace.SetStatus(status, now);
        }
        if (command.PolicyConfig.HasValue)
        {
            workspace.SetPolicy(command.PolicyConfig.Value?.ToPolicy(), now);
        }
        if (command.PublicMetadata.HasValue)
        {
            workspace.SetPublicMetadata(command.PublicMetadata.Value ?? JsonText.EmptyObject, now);
        }
        if (command.PrivateMetadata.HasValue)
        {
            workspace.SetPrivateMetadata(command.PrivateMetadata.Value ?? JsonText.EmptyObject, now);
        }
        if (command.Description.HasValue)
        {
            workspace.SetDescription(NullIfEmpty(command.Description.Value), now);
        }
        if (command.ImageUrl.HasValue)
        {
            workspace.SetImageUrl(NullIfEmpty(command.ImageUrl.Value), now);
        }
        if (command.Slug.HasValue)
        {
            workspace.SetSlug(NullIfEmpty(command.Slug.Value), now);
        }
        if (command.Segments.HasValue)
        {
            await ReplaceSegmentsAsync(workspace, command.Segments.Value ?? [], now, cancellationToken);
        }

        // Every other field in one workspace.updated; a change of status alone is only its own event above.
        if (Present(command).Where(field => field != "workspaceStatus").ToArray() is { Length: > 0 } fields)
        {
            db.AuditEvents.Add(AuditEvent.Record(workspace.InstitutionId, workspace.Id, AuditActors.Operator, AuditActions.WorkspaceUpdated,
                AuditTargets.Workspace, workspace.Id, null, AuditDetails.Of(("fields", fields)), now));
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.WorkspaceSlug))
        {
            return new ValidationFailed(new FieldError("$." + nameof(command.Slug), ValidationCodes.SlugTaken));
        }
        return await AdminWorkspaceViews.ViewAsync(db, workspace, cancellationToken);
    }

    private async Task ReplaceSegmentsAsync(Workspace workspace, IReadOnlyList<string?> names, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wanted = names.Select(n => n!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var existing = await db.Segments
            .Where(s => s.InstitutionId == workspace.InstitutionId && s.Type == SegmentType.Workspace && wanted.Contains(s.Name))
            .ToListAsync(cancellationToken);
        var created = wanted.Except(existing.Select(s => s.Name), StringComparer.Ordinal)
            .Select(name => Segment.Create(workspace.InstitutionId, name, SegmentType.Workspace, now))
            .ToList();
        db.Segments.AddRange(created);

        var wantedIds = existing.Concat(created).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var links = await db.WorkspaceSegments.Where(l => l.WorkspaceId == workspace.Id).ToListAsync(cancellationToken);
        db.WorkspaceSegments.RemoveRange(links.Where(l => !wantedIds.Contains(l.SegmentId)));
        db.WorkspaceSegments.AddRange(wantedIds.Except(links.Select(l => l.SegmentId)).Select(segmentId =>
            new WorkspaceSegment { WorkspaceId = workspace.Id, SegmentId = segmentId, InstitutionId = workspace.InstitutionId }));
        workspace.Touch(now);
    }

    /// <summary>The names of the fields the operator sent, for the audit event (values may be private).</summary>
    private static string[] Present(AdminUpdateWorkspaceCommand c) =>
        new (string Name, bool Sent)[]
        {
            ("workspaceStatus", c.WorkspaceStatus.HasValue), ("policyConfig", c.PolicyConfig.HasValue),
            ("publicMetadata", c.PublicMetadata.HasValue), ("privateMetadata", c.PrivateMetadata.HasValue),
            ("description", c.Description.HasValue), ("imageUrl", c.ImageUrl.HasValue), ("slug", c.Slug.HasValue),
            ("segments", c.Segments.HasValue),
        }.Where(f => f.Sent).Select(f => f.Name).ToArray();

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A workspace with its segment names, as every operator answer shows it.</summary>
public static class AdminWorkspaceViews
{
    public static async Task<AdminWorkspaceView> ViewAsync(TenantryDbContext db, Workspace w, CancellationToken cancellationToken)
    {
        var segments = await (from link in db.WorkspaceSegments
                              where link.WorkspaceId == w.Id
                              join s in db.Segments on link.SegmentId equals s.Id
                              orderby s.Name
                              select s.Name).ToListAsync(cancellationToken);
        return new AdminWorkspaceView(WorkspaceDetail.From(w), w.Slug, w.Description, w.ImageUrl, w.PublicMetadata, w.PrivateMetadata,
            w.Policy, w.MemberCount, segments);
    }
}
