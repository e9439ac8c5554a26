namespace Tenantry.Data;

/// <summary>
/// A unique index that backs a business invariant. Use cases catch its violation and turn
/// it into a domain error (e.g. a second self-created workspace → AlreadyOwnsWorkspace).
/// PostgreSQL names the violated index; SQLite names the table and columns instead.
/// </summary>
public sealed record UniqueKey(string IndexName, string Table, params string[] Columns)
{
    /// <summary>How SQLite words the violation: "UNIQUE constraint failed: table.col1, table.col2".</summary>
    public string SqliteDescription => string.Join(", ", Columns.Select(c => $"{Table}.{c}"));
}

public static class UniqueKeys
{
    public static readonly UniqueKey UserEmail = new("ux_users_normalized_email", "users", "normalized_email");
    public static readonly UniqueKey SelfCreatedWorkspace = new("ux_workspaces_self_created_by", "workspaces", "self_created_by");
    public static readonly UniqueKey WorkspaceSlug = new("ux_workspaces_institution_slug", "workspaces", "institution_id", "slug");
    public static readonly UniqueKey InstitutionSlug = new("ux_institutions_slug", "institutions", "slug");
    public static readonly UniqueKey WorkspaceMember = new("ux_workspace_memberships_workspace_user", "workspace_memberships", "workspace_id", "user_id");
    public static readonly UniqueKey DefaultWorkspace = new("ux_workspace_memberships_one_default", "workspace_memberships", "user_id");
    public static readonly UniqueKey InstitutionMember = new("ux_organization_memberships_institution_user", "organization_memberships", "institution_id", "user_id");
    public static readonly UniqueKey ActiveInstitution = new("ux_organization_memberships_one_active", "organization_memberships", "user_id");
    public static readonly UniqueKey RoleName = new("ux_workspace_roles_workspace_name", "workspace_roles", "workspace_id", "normalized_name");
    public static readonly UniqueKey PendingInvitation = new("ux_invitations_one_pending", "invitations", "workspace_id", "normalized_email");
    public static readonly UniqueKey SecureChannelNonce = new("pk_secure_channel_nonces", "secure_channel_nonces", "channel_id", "iv");
    public static readonly UniqueKey AuthLockout = new("pk_auth_lockouts", "auth_lockouts", "key");
    public static readonly UniqueKey EmailVerification = new("pk_email_verifications", "email_verifications", "user_id");
    public static readonly UniqueKey PasswordReset = new("pk_password_resets", "password_resets", "user_id");
    public static readonly UniqueKey SpentToken = new("pk_spent_tokens", "spent_tokens", "id");
    public static readonly UniqueKey TotpAuthenticator = new("pk_mfa_totp_authenticators", "mfa_totp_authenticators", "user_id");
    public static readonly UniqueKey WebhookDeliveryEvent = new("ux_webhook_deliveries_event_endpoint", "webhook_deliveries", "event_id", "endpoint_id");
    public static readonly UniqueKey SegmentName = new("ux_segments_institution_type_name", "segments", "institution_id", "type", "name");
}
