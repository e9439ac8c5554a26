using Tenantry.Client.Api.Operator;
using static Tenantry.Client.ApiCalls;

namespace Tenantry.Client;

/// <summary>Which audit events to list (all of them when empty); <see cref="After"/> gives only events newer than that event id.</summary>
public sealed record TenantryAuditFilter(string? InstitutionId = null, string? WorkspaceId = null, string? Action = null, string? ActorUserId = null, string? After = null);

/// <summary>
/// The operator API (<c>/admin/v1</c>, header <c>X-Admin-Key</c>): accounts, institutions,
/// workspaces, members, the audit trail and the signing keys. Answers unwrapped, failures as
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
}
