using System.Text.Json;
using Tenantry.Client.Api;
using static Tenantry.Client.ApiCalls;

namespace Tenantry.Client;

/// <summary>
/// The SYSTEM dialect (<c>/web/v1</c>) for one signed-in session: answers unwrapped from the envelope,
/// failures as <see cref="TenantryApiException"/>, the access token refreshed when needed, lists
/// paged with <see cref="IAsyncEnumerable{T}"/>. <see cref="Api"/> reaches every endpoint of the
/// generated client (models and calls generated from openapi/tenantry.json).
/// </summary>
public sealed class TenantryClient
{
    private readonly TenantryTokenRefresher _refresher;
    private readonly TimeProvider _clock;

    public TenantryClient(HttpClient http, TenantryTokenRefresher refresher, TimeProvider clock)
    {
        Api = new TenantryApi(http);
        _refresher = refresher;
        _clock = clock;
    }

    /// <summary>The generated client: every SYSTEM and Wacht endpoint, answers still in their envelope.</summary>
    public TenantryApi Api { get; }

    /// <summary>The session this client acts for, if any.</summary>
    public ValueTask<TenantryTokens?> GetTokensAsync(CancellationToken cancellationToken = default) => _refresher.Store.GetAsync(cancellationToken);

    /// <summary>Acts for an existing session (tokens kept elsewhere).</summary>
    public ValueTask UseTokensAsync(TenantryTokens? tokens, CancellationToken cancellationToken = default) => _refresher.Store.SetAsync(tokens, cancellationToken);

    public async Task<TenantryTokens> SignUpAsync(string email, string password, string displayName, CancellationToken cancellationToken = default)
    {
        var tokens = await Call(() => Api.PostAuthSignUpAsync(new SignUpRequest { Email = email, Password = password, DisplayName = displayName }, cancellationToken), e => e.Data);
        return await KeepAsync(tokens, cancellationToken);
    }

    /// <summary>Signs in; an account with MFA throws <see cref="TenantryMfaRequiredException"/> with the challenge to complete.</summary>
    public async Task<TenantryTokens> SignInAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        var answer = await Call(() => Api.PostAuthSignInAsync(new SignInRequest { Email = email, Password = password }, cancellationToken), e => e);
        // The answer is either tokens or an MFA challenge (anyOf in the document).
        var envelope = JsonSerializer.SerializeToElement(answer.AdditionalProperties, TenantryTokenRefresher.Json);
        var data = envelope.GetProperty("data");
        if (data.TryGetProperty("challengeId", out var challenge))
        {
            throw new TenantryMfaRequiredException(challenge.GetString()!, envelope.GetProperty("message").GetString() ?? "AUTH.MFA_REQUIRED");
        }
        return await KeepAsync(data.Deserialize<SystemAuthTokens>(TenantryTokenRefresher.Json)!, cancellationToken);
    }

    public async Task<TenantryTokens> CompleteMfaSignInAsync(string challengeId, string code, CancellationToken cancellationToken = default)
    {
        var tokens = await Call(() => Api.PostAuthMfaChallengeAsync(new MfaChallengeRequest { ChallengeId = challengeId, Code = code }, cancellationToken), e => e.Data);
        return await KeepAsync(tokens, cancellationToken);
    }

    /// <summary>Revokes the session at once and forgets its tokens.</summary>
    public async Task SignOutAsync(CancellationToken cancellationToken = default)
    {
        await Call(() => Api.PostAuthSignOutAsync(cancellationToken), e => e.Data);
        await _refresher.Store.SetAsync(null, cancellationToken);
    }

    /// <summary>The signed-in account: id, email, display name, whether the email is verified.</summary>
    public Task<SystemAccount> GetMeAsync(CancellationToken cancellationToken = default) =>
        Call(() => Api.GetAuthMeAsync(cancellationToken), e => e.Data);

    /// <summary>
    /// Proves the account's address with the code from the verification email (needs this client's session) or the
    /// token from its link (works signed out). Wrong, used or expired ones throw <c>AUTH.EMAIL_VERIFICATION_INVALID</c>.
    /// </summary>
    public Task<SystemAccount> VerifyEmailAsync(string? code = null, string? token = null, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostAuthEmailVerifyAsync(new VerifyEmailRequest { Code = code, Token = token }, cancellationToken), e => e.Data);

    /// <summary>Sends a new verification email (earlier links and codes stop working); <c>AUTH.EMAIL_ALREADY_VERIFIED</c> when verified.</summary>
    public Task<SystemVerificationSent> ResendVerificationEmailAsync(CancellationToken cancellationToken = default) =>
        Call(() => Api.PostAuthEmailVerifyResendAsync(cancellationToken), e => e.Data);

    public Task<List<SystemWorkspaceItem>> ListMyWorkspacesAsync(CancellationToken cancellationToken = default) =>
        Call(() => Api.GetSystemWorkspacesMineAsync(cancellationToken), e => e.Data);

    public Task<SystemWorkspaceDetail> CreateWorkspaceAsync(string name, string? kind = null, string? timezone = null, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostWorkspacesSelfAsync(new CreateSelfWorkspaceRequest { WorkspaceName = name, WorkspaceKind = kind, WorkspaceTimezone = timezone }, cancellationToken), e => e.Data);

    public Task<SystemWorkspaceDetail> GetWorkspaceAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        Call(() => Api.GetWorkspacesByWorkspaceBizIdAsync(workspaceId, cancellationToken), e => e.Data);

    public Task<List<SystemRole>> ListRolesAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        Call(() => Api.GetWorkspacesByWorkspaceIdRolesAsync(workspaceId, cancellationToken), e => e.Data);

    public Task<SystemRole> CreateRoleAsync(string workspaceId, string name, IEnumerable<string> permissions, string? description = null, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostWorkspacesByWorkspaceIdRolesAsync(workspaceId, new CreateRoleRequest { RoleName = name, Description = description, Permissions = [.. permissions] }, cancellationToken), e => e.Data);

    public Task<SystemInvitation> InviteAsync(string workspaceId, string email, string roleId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostWorkspacesByWorkspaceBizIdInvitationsAsync(workspaceId, new CreateInvitationRequest { Email = email, RoleBizId = roleId }, cancellationToken), e => e.Data);

    public Task<List<SystemMyInvitation>> ListMyInvitationsAsync(CancellationToken cancellationToken = default) =>
        Call(() => Api.GetTenantInvitationsMineAsync(cancellationToken), e => e.Data);

    /// <summary>
    /// Accepts an invitation: with the <paramref name="token"/> from its email, or without one when it was sent to this
    /// account's verified address.
    /// </summary>
    public Task<SystemWorkspaceItem> AcceptInvitationAsync(string invitationId, string? token = null, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostTenantInvitationsByInvitationBizIdAcceptAsync(invitationId, Answer(token), cancellationToken), e => e.Data);

    /// <summary>Declines an invitation (the same rules as <see cref="AcceptInvitationAsync"/>).</summary>
    public Task DeclineInvitationAsync(string invitationId, string? token = null, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostTenantInvitationsByInvitationBizIdDeclineAsync(invitationId, Answer(token), cancellationToken), e => e.Data);

    public Task<SystemMember> ChangeMemberRoleAsync(string workspaceId, string userId, string roleId, CancellationToken cancellationToken = default) =>
        Call(() => Api.PostWorkspacesByWorkspaceIdMembersRoleChangeAsync(workspaceId, new ChangeMemberRoleRequest { UserBizId = userId, RoleBizId = roleId }, cancellationToken), e => e.Data);

    public IAsyncEnumerable<SystemMember> ListMembersAsync(string workspaceId, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, size, ct) => Page(() => Api.GetWorkspacesByWorkspaceIdMembersAsync(workspaceId, page, size, ct), e => e.Data, page, size), pageSize, cancellationToken);

    public IAsyncEnumerable<SystemInvitation> ListInvitationsAsync(string workspaceId, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, size, ct) => Page(() => Api.GetWorkspacesByWorkspaceBizIdInvitationsAsync(workspaceId, page, size, ct), e => e.Data, page, size), pageSize, cancellationToken);

    public IAsyncEnumerable<SystemAuditEvent> ListAuditEventsAsync(string workspaceId, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, size, ct) => Page(() => Api.GetWorkspacesByWorkspaceBizIdAuditEventsAsync(workspaceId, page, size, ct), e => e.Data, page, size), pageSize, cancellationToken);

    /// <summary>One page of a workspace's members, with the total.</summary>
    public Task<TenantryPage<SystemMember>> GetMembersPageAsync(string workspaceId, int page, int pageSize = Paging.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Page(() => Api.GetWorkspacesByWorkspaceIdMembersAsync(workspaceId, page, pageSize, cancellationToken), e => e.Data, page, pageSize);

    private static InvitationAnswerRequest? Answer(string? token) => token is null ? null : new InvitationAnswerRequest { Token = token };

    private async Task<TenantryTokens> KeepAsync(SystemAuthTokens tokens, CancellationToken cancellationToken)
    {
        var kept = ToTokens(tokens, _clock);
        await _refresher.Store.SetAsync(kept, cancellationToken);
        return kept;
    }

    internal static TenantryTokens ToTokens(SystemAuthTokens t, TimeProvider clock) =>
        new(t.UserBizId, t.SessionId, t.AccessToken, t.RefreshToken, clock.GetUtcNow().AddSeconds(t.ExpiresIn));

    internal static Uri Root(Uri? baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress, "TenantryClientOptions.BaseAddress");
        return baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
    }
}
