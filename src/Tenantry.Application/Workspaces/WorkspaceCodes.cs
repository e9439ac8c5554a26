using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces;

/// <summary>The wire codes of workspace enums, shared by both dialects' inputs.</summary>
public static class WorkspaceCodes
{
    public static readonly string[] Kinds = ["LIVE", "SANDBOX"];
    public static readonly string[] Statuses = ["ACTIVE", "SUSPENDED"];

    public static WorkspaceKind ParseKind(string? code) => code == "SANDBOX" ? WorkspaceKind.Sandbox : WorkspaceKind.Live;

    public static WorkspaceStatus ParseStatus(string code) => code == "SUSPENDED" ? WorkspaceStatus.Suspended : WorkspaceStatus.Active;

    public static string Status(WorkspaceStatus status) => status == WorkspaceStatus.Suspended ? "SUSPENDED" : "ACTIVE";
}
