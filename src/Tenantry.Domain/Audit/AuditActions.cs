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
    public const string InstitutionUpdated = "institution.updated";
    public const string InstitutionMemberRoleChanged = "institution.member_role_changed";
    public const string InstitutionMemberRemoved = "institution.member_removed";
    public const string InstitutionSuspended = "institution.suspended";
    public const string InstitutionResumed = "institution.resumed";
    public const string SigningKeyRotated = "signing_key.rotated";
    public const string WebhookEndpointCreated = "webhook_endpoint.created";
    public const string WebhookEndpointUpdated = "webhook_endpoint.updated";
    public const string WebhookEndpointDeleted = "webhook_endpoint.deleted";
    public const string WebhookEndpointSecretRotated = "webhook_endpoint.secret_rotated";
}

/// <summary>
/// Who acted, when it was not a signed-in user. <c>actor_user_id</c> holds a user id for a
/// user's change and <see cref="Operator"/> for a change made through the operator API
/// (<c>X-Admin-Key</c>), the same word as an account event's actor (<see cref="AccountActors.Operator"/>);
/// the key itself is never recorded. User ids always start with <c>usr_</c>, so the two can never be confused.
/// Changes to accounts are not in this trail but in the account's (<see cref="AccountEvent"/>).
/// </summary>
public static class AuditActors
{
    public const string Operator = AccountActors.Operator;
}

/// <summary>
/// The institution an event is filed under. Every tenant-owned row, audit events included,
/// carries an institution id (the Citus distribution key); events about no tenant and no
/// account (a signing key rotated) are filed under <see cref="Directory"/>,
/// which names no institution and is shown as no institution on the wire.
/// </summary>
public static class AuditScopes
{
    public const string Directory = "directory";
}

public static class AuditTargets
{
    public const string Workspace = "workspace";
    public const string Role = "role";
    public const string Invitation = "invitation";
    public const string Member = "member";
    public const string Institution = "institution";
    public const string SigningKey = "signing_key";
    public const string WebhookEndpoint = "webhook_endpoint";
}
