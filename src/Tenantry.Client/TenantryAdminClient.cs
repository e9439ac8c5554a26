using Tenantry.Client.Api.Operator;
using static Tenantry.Client.ApiCalls;

namespace Tenantry.Client;

/// <summary>Which audit events to list (all of them when empty); <see cref="After"/> gives only events newer than that event id.</summary>
public sealed record TenantryAuditFilter(string? InstitutionId = null, string? WorkspaceId = null, string? Action = null, string? ActorUserId = null, string? After = null);

/// <summary>
/// What to change on a webhook endpoint; what is left null stays as it is. <see cref="Description"/> <c>""</c> clears the
/// description; <see cref="EventTypes"/> empty means every event type (including types added later).
/// </summary>
public sealed record TenantryWebhookChanges(string? Url = null, string? Description = null, IReadOnlyList<string>? EventTypes = null, bool? Enabled = null);

/// <summary>
/// The operator API (<c>/admin/v1</c>, header <c>X-Admin-Key</c>): accounts, institutions,
/// workspaces, members, the audit trail, the signing keys and the institutions' webhook endpoints (docs/WEBHOOKS.md). Answers unwrapped, failures as
/// <see cref="TenantryApiException"/>; <see cref="Api"/> is the generated client (openapi/tenantry_admin.json).
/// </summary>
public sealed class TenantryAdminClient(HttpClient http)
{
    public TenantryAdminApi Api { get; } = new(http);

    public Task<TenantryPage<AdminUserResponse>> SearchUsersAsync(string? query, int page = 1, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Page(() => Api.GetUsersAsync(query, page, pageSize, cancellationToken), e => e.Data, page, pageSize);

    public IAsyncEnumerable<AdminUserResponse> ListUsersAsync(string? query = null, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, size, ct) => SearchUsersAsync(query, page, size, ct), pageSize, cancellationToken);

    public Task<AdminUserResponse> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        Call(() => Api.GetUsersByUserBizIdAsync(userId, cancellationToken), e => e.Data);

    /// <summary>
    /// Vouches for the account's address (<paramref name="verified"/> true: invitations to it may then be accepted without
    /// their token) or withdraws that (false: the account verifies again by email). Recorded in the account's events.
    /// </summary>
    public Task<AdminUserResponse> SetEmailVerifiedAsync(string userId, bool verified, CancellationToken cancellationToken = default) =>
        Call(() => Api.PatchUsersByUserBizIdAsync(userId, new AdminUpdateUserRequest { EmailVerified = verified }, cancellationToken), e => e.Data);

    /// <summary>The account's events (address verified or unverified, disabled, enabled, signed out, MFA reset), newest first.</summary>
    public Task<List<AdminAccountEvent>> GetUserEventsAsync(string userId, CancellationToken cancellationToken = default) =>
        Call(() => Api.GetUsersByUserBizIdEventsAsync(userId, cancellationToken), e => e.Data);

    /// <summary>Disables the account: its sessions are revoked at once; sign-in answers <c>AUTH.ACCOUNT_DISABLED</c>.</summary>
    public Task<AdminUserResponse> DisableUserAsync(string userId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostUsersByUserBizIdDisableAsync(userId, cancellationToken), e => e.Data);

    public Task<AdminUserResponse> EnableUserAsync(string userId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostUsersByUserBizIdEnableAsync(userId, cancellationToken), e => e.Data);

    public Task<AdminUserResponse> RevokeSessionsAsync(string userId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostUsersByUserBizIdRevokeSessionsAsync(userId, cancellationToken), e => e.Data);

    public Task<AdminUserResponse> ResetMfaAsync(string userId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostUsersByUserBizIdResetMfaAsync(userId, cancellationToken), e => e.Data);

    public Task<TenantryPage<AdminInstitutionResponse>> SearchInstitutionsAsync(string? query, int page = 1, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Page(() => Api.GetInstitutionsAsync(query, page, pageSize, cancellationToken), e => e.Data, page, pageSize);

    public Task<AdminInstitutionResponse> GetInstitutionAsync(string institutionId, CancellationToken cancellationToken = default) =>
        Call(() => Api.GetInstitutionsByInstitutionBizIdAsync(institutionId, cancellationToken), e => e.Data);

    public Task<AdminInstitutionSuspensionResponse> SuspendInstitutionAsync(string institutionId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostInstitutionsByInstitutionBizIdSuspendAsync(institutionId, cancellationToken), e => e.Data);

    public Task<AdminInstitutionSuspensionResponse> ResumeInstitutionAsync(string institutionId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostInstitutionsByInstitutionBizIdResumeAsync(institutionId, cancellationToken), e => e.Data);

    /// <summary>Sets an institution's MFA enforcement and IP allow-list (each only when given).</summary>
    public Task<AdminInstitutionResponse> SetInstitutionPolicyAsync(string institutionId, bool? enforceMfa, IEnumerable<string>? ipAllowlist, CancellationToken cancellationToken = default) =>
        Call(() => Api.PatchInstitutionsByInstitutionBizIdAsync(institutionId,
            new AdminUpdateInstitutionRequest { EnforceMfa = enforceMfa, IpAllowlist = ipAllowlist?.ToList() }, cancellationToken), e => e.Data);

    public Task<TenantryPage<AdminWorkspaceResponse>> SearchWorkspacesAsync(
        string? query, string? institutionId = null, string? status = null, int page = 1, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Page(() => Api.GetWorkspacesAsync(query, institutionId, status, page, pageSize, cancellationToken), e => e.Data, page, pageSize);

    public Task<AdminWorkspaceResponse> GetWorkspaceAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        Call(() => Api.GetWorkspacesByWorkspaceBizIdAsync(workspaceId, cancellationToken), e => e.Data);

    public Task<AdminWorkspaceResponse> SetWorkspaceStatusAsync(string workspaceId, bool suspended, CancellationToken cancellationToken = default) =>
        Call(() => Api.PatchWorkspacesByWorkspaceBizIdAsync(workspaceId,
            new AdminUpdateWorkspaceRequest { WorkspaceStatus = suspended ? "SUSPENDED" : "ACTIVE" }, cancellationToken), e => e.Data);

    /// <summary>Replaces a workspace's policy (IP allow-list, enforced MFA).</summary>
    public Task<AdminWorkspaceResponse> SetWorkspacePolicyAsync(string workspaceId, IEnumerable<string> ipAllowlist, bool enforceMfa, CancellationToken cancellationToken = default) =>
        Call(() => Api.PatchWorkspacesByWorkspaceBizIdAsync(workspaceId,
            new AdminUpdateWorkspaceRequest { PolicyConfig = new PolicyConfigRequest { IpAllowlist = [.. ipAllowlist], EnforceMfa = enforceMfa } }, cancellationToken), e => e.Data);

    public Task<TenantryPage<AdminMemberResponse>> GetMembersPageAsync(string workspaceId, int page = 1, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Page(() => Api.GetWorkspacesByWorkspaceBizIdMembersAsync(workspaceId, page, pageSize, cancellationToken), e => e.Data, page, pageSize);

    public IAsyncEnumerable<AdminMemberResponse> ListMembersAsync(string workspaceId, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, size, ct) => GetMembersPageAsync(workspaceId, page, size, ct), pageSize, cancellationToken);

    /// <summary>A page of the audit trail, newest first.</summary>
    public Task<TenantryPage<AdminAuditEventResponse>> GetAuditEventsAsync(TenantryAuditFilter filter, int page = 1, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Page(() => Api.GetAuditEventsAsync(filter.InstitutionId, filter.WorkspaceId, filter.Action, filter.ActorUserId, filter.After, page, pageSize, cancellationToken),
            e => e.Data, page, pageSize);

    public Task<List<AdminSigningKeyResponse>> ListSigningKeysAsync(CancellationToken cancellationToken = default) =>
        Call(() => Api.GetSigningKeysAsync(cancellationToken), e => e.Data);

    public Task<List<AdminSigningKeyResponse>> RotateSigningKeyAsync(CancellationToken cancellationToken = default) =>
        Call(() => Api.PostSigningKeysRotateAsync(cancellationToken), e => e.Data);

    /// <summary>A page of an institution's webhook endpoints, oldest first (without their secrets).</summary>
    public Task<TenantryPage<AdminWebhookEndpoint>> GetWebhooksPageAsync(string institutionId, int page = 1, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Page(() => Api.GetInstitutionsByInstitutionBizIdWebhooksAsync(institutionId, page, pageSize, cancellationToken), e => e.Data, page, pageSize);

    public IAsyncEnumerable<AdminWebhookEndpoint> ListWebhooksAsync(string institutionId, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, size, ct) => GetWebhooksPageAsync(institutionId, page, size, ct), pageSize, cancellationToken);

    /// <summary>
    /// Adds an endpoint to the institution. The answer's <see cref="AdminWebhookEndpoint.Secret"/> (<c>whsec_…</c>) is the signing
    /// secret, shown this once. <paramref name="eventTypes"/> null or empty: every event type. A URL the server refuses
    /// (malformed, not https where required, resolving to a private address) answers <c>4000</c> on <c>$.url</c>.
    /// </summary>
    public Task<AdminWebhookEndpoint> CreateWebhookAsync(
        string institutionId, string url, string? description = null, IEnumerable<string>? eventTypes = null, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostInstitutionsByInstitutionBizIdWebhooksAsync(institutionId,
            new AdminCreateWebhookRequest { Url = url, Description = description, EventTypes = eventTypes?.ToList() }, cancellationToken), e => e.Data);

    public Task<AdminWebhookEndpoint> GetWebhookAsync(string institutionId, string webhookId, CancellationToken cancellationToken = default) =>
        Call(() => Api.GetInstitutionsByInstitutionBizIdWebhooksByWebhookBizIdAsync(institutionId, webhookId, cancellationToken), e => e.Data);

    /// <summary>Changes what <paramref name="changes"/> names; nothing named answers <c>4000</c>. Disabling fails the deliveries still waiting.</summary>
    public Task<AdminWebhookEndpoint> UpdateWebhookAsync(string institutionId, string webhookId, TenantryWebhookChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var body = new AdminUpdateWebhookRequest
        {
            Url = changes.Url,
            Description = changes.Description,
            EventTypes = changes.EventTypes?.ToList(),
            Enabled = changes.Enabled,
        };
        return Call(() => Api.PatchInstitutionsByInstitutionBizIdWebhooksByWebhookBizIdAsync(institutionId, webhookId, body, cancellationToken), e => e.Data);
    }

    /// <summary>Deletes the endpoint and its deliveries.</summary>
    public Task DeleteWebhookAsync(string institutionId, string webhookId, CancellationToken cancellationToken = default) =>
        Call(() => Api.DeleteInstitutionsByInstitutionBizIdWebhooksByWebhookBizIdAsync(institutionId, webhookId, cancellationToken), e => e.Data);

    /// <summary>
    /// A new signing secret, in the answer's <see cref="AdminWebhookEndpoint.Secret"/> (shown this once); deliveries are also signed
    /// with the previous one until <see cref="AdminWebhookEndpoint.PreviousSecretExpiresAt"/>.
    /// </summary>
    public Task<AdminWebhookEndpoint> RotateWebhookSecretAsync(string institutionId, string webhookId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostInstitutionsByInstitutionBizIdWebhooksByWebhookBizIdRotateSecretAsync(institutionId, webhookId, cancellationToken), e => e.Data);

    /// <summary>Queues a <c>webhook.test</c> event to the endpoint; answers its delivery. A disabled endpoint answers <c>409</c>.</summary>
    public Task<AdminWebhookDelivery> SendWebhookTestAsync(string institutionId, string webhookId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostInstitutionsByInstitutionBizIdWebhooksByWebhookBizIdTestAsync(institutionId, webhookId, cancellationToken), e => e.Data);

    /// <summary>A page of the endpoint's deliveries, newest first.</summary>
    public Task<TenantryPage<AdminWebhookDelivery>> GetWebhookDeliveriesPageAsync(
        string institutionId, string webhookId, int page = 1, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Page(() => Api.GetInstitutionsByInstitutionBizIdWebhooksByWebhookBizIdDeliveriesAsync(institutionId, webhookId, page, pageSize, cancellationToken),
            e => e.Data, page, pageSize);

    public IAsyncEnumerable<AdminWebhookDelivery> ListWebhookDeliveriesAsync(
        string institutionId, string webhookId, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, size, ct) => GetWebhookDeliveriesPageAsync(institutionId, webhookId, page, size, ct), pageSize, cancellationToken);

    /// <summary>Sends one delivery again, now, with the same <c>webhook-id</c>. A disabled endpoint answers <c>409</c>.</summary>
    public Task<AdminWebhookDelivery> ReplayWebhookDeliveryAsync(string institutionId, string webhookId, string deliveryId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostInstitutionsByInstitutionBizIdWebhooksByWebhookBizIdDeliveriesByDeliveryIdReplayAsync(institutionId, webhookId, deliveryId, cancellationToken),
            e => e.Data);

    /// <summary>Sends again every failed delivery of the endpoint created since <paramref name="since"/>; answers how many were queued.</summary>
    public Task<int> ReplayFailedWebhookDeliveriesAsync(string institutionId, string webhookId, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostInstitutionsByInstitutionBizIdWebhooksByWebhookBizIdDeliveriesReplayFailedAsync(institutionId, webhookId,
            new AdminReplayFailedRequest { Since = since }, cancellationToken), e => e.Data?.Replayed ?? 0);
}
