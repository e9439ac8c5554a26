namespace Tenantry.Domain.Audit;

/// <summary>The actions the audit trail records; stable strings, part of the API.</summary>
public static class AuditActions
{
    public const string WorkspaceCreated = "workspace.created";
    public const string WorkspaceUpdated = "workspace.updated";
    public const string WorkspaceSuspended = "workspace.suspended";
    public const string WorkspaceReactivated = "workspace.reactivated";
    public const string RoleCreated = "role.created";
    public const string RoleUpdated = "role.updated";
    public const string RoleDeleted = "role.deleted";
    public const string InvitationCreated = "invitation.created";
    public const string InvitationRevoked = "invitation.revoked";
    public const string InvitationResent = "invitation.resent";
    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationDeclined = "invitation.declined";
    public const string InvitationExpired = "invitation.expired";
    public const string MemberAdded = "member.added";
    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string MemberLeft = "member.left";
    public const string MemberStatusChanged = "member.status_changed";
    public const string DefaultChanged = "default.changed";
    public const string OwnershipTransferred = "ownership.transferred";
    public const string InstitutionLeft = "organization.left";
    public const string PolicyUpdated = "policy.updated";
}

public static class AuditTargets
{
    public const string Workspace = "workspace";
    public const string Role = "role";
    public const string Invitation = "invitation";
    public const string Member = "member";
    public const string Institution = "institution";
}
