using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces;

/// <summary>A workspace as its members see it (seed 001).</summary>
public sealed record WorkspaceDetail(
    string WorkspaceId,
    string InstitutionId,
    string? ExternalEntityId,
    string Name,
    string Timezone,
    WorkspaceStatus Status,
    WorkspaceKind Kind,
    string? ExtraData,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static WorkspaceDetail From(Workspace w) =>
        new(w.Id, w.InstitutionId, w.ExternalEntityId, w.Name, w.Timezone, w.Status, w.Kind, w.ExtraData, w.CreatedAt, w.UpdatedAt);
}
