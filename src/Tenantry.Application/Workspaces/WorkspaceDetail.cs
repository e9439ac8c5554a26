using Tenantry.Domain.Policies;
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
    /// <summary>The workspace's policy (null: none), for front ends that show it; not one of seed 001's fields.</summary>
    public WorkspacePolicy? Policy { get; init; }

    /// <summary>The operator-set description; not one of seed 001's fields.</summary>
    public string? Description { get; init; }

    public static WorkspaceDetail From(Workspace w) =>
        new(w.Id, w.InstitutionId, w.ExternalEntityId, w.Name, w.Timezone, w.Status, w.Kind, w.ExtraData, w.CreatedAt, w.UpdatedAt)
        {
            Policy = w.Policy,
            Description = w.Description,
        };
}
