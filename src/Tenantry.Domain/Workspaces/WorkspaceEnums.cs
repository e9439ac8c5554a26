namespace Tenantry.Domain.Workspaces;

public enum WorkspaceKind
{
    Live,
    Sandbox,
}

public enum WorkspaceStatus
{
    Active,
    Suspended,
}

public enum SegmentType
{
    User,
    Institution,
    Workspace,
}
