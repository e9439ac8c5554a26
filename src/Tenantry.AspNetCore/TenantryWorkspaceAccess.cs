using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tenantry.Client;
using Tenantry.Client.Api;

namespace Tenantry.AspNetCore;

/// <summary>The caller's standing in a workspace, as Tenantry said it.</summary>
/// <remarks>
/// <see cref="Enterable"/> is Tenantry's decision for the request it received (suspension, inactive membership,
/// MFA; the IP allow-list for the address Tenantry sees, which is this server's unless it is a trusted proxy of
/// Tenantry's); <see cref="Restriction"/> says why not (<c>WORKSPACE_SUSPENDED</c>, <c>MFA_REQUIRED</c>, ...).
/// </remarks>
public sealed record TenantryWorkspaceStanding(
    string WorkspaceId, string UserId, string RoleId, bool IsOwner, bool Active, IReadOnlyList<string> Permissions, bool Enterable, string Restriction)
{
    /// <summary>An active membership, in a workspace that admits the request.</summary>
    public bool Admitted => Active && Enterable;

    /// <summary>Admitted, and the role holds <paramref name="permission"/>.</summary>
    public bool Grants(string permission) => Admitted && Permissions.Contains(permission, StringComparer.Ordinal);
}

public enum TenantryAccessOutcome
{
    Member,
    NotMember,
    /// <summary>Tenantry refused the token: the session was revoked or the token expired.</summary>
    SessionRejected,
    /// <summary>Tenantry could not be asked (down, unreachable): refused, never guessed.</summary>
    Unavailable,
}

public sealed record TenantryAccessResult(TenantryAccessOutcome Outcome, TenantryWorkspaceStanding? Standing);

/// <summary>
/// Asks Tenantry for the caller's standing in a workspace (<c>GET /web/v1/workspaces/{id}/access/mine</c>
/// with the caller's own access token), one call per session and workspace per
/// <see cref="TenantryAuthenticationOptions.AccessCacheDuration"/>.
/// </summary>
public sealed class TenantryWorkspaceAccess(IHttpClientFactory clients, IMemoryCache cache, IOptions<TenantryAuthenticationOptions> options)
{
    public const string HttpClientName = "Tenantry.AspNetCore";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<TenantryAccessResult> GetAsync(string workspaceId, string sessionId, string accessToken, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = ("tenantry-access", sessionId, workspaceId);
        if (cache.TryGetValue(key, out TenantryAccessResult? cached) && cached is not null)
        {
            return cached;
        }
        var result = await AskAsync(workspaceId, accessToken, cancellationToken);
        if (result.Outcome is TenantryAccessOutcome.Member or TenantryAccessOutcome.NotMember && settings.AccessCacheDuration > TimeSpan.Zero)
        {
            cache.Set(key, result, settings.AccessCacheDuration);
        }
        return result;
    }

    private async Task<TenantryAccessResult> AskAsync(string workspaceId, string accessToken, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"web/v1/workspaces/{Uri.EscapeDataString(workspaceId)}/access/mine");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (settings.PortalAccessCode is { } code)
        {
            request.Headers.Add("X-PORTAL-ACCESS-CODE", code);
        }
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var access = JsonSerializer.Deserialize<EnvelopeDocOfSystemWorkspaceAccess>(body, s_json)!.Data!;
                    return new(TenantryAccessOutcome.Member, new TenantryWorkspaceStanding(access.WorkspaceBizId, access.UserBizId, access.WorkspaceRoleBizId,
                        access.IsOwner, access.Status == "ACTIVE", access.Permissions, access.Enterable, access.Restriction));
                case HttpStatusCode.NotFound:
                    return new(TenantryAccessOutcome.NotMember, null);
                case HttpStatusCode.Unauthorized:
                    return new(TenantryAccessOutcome.SessionRejected, null);
                default:
                    throw TenantryApiException.FromResponse((int)response.StatusCode, body, null);
            }
        }
        catch (HttpRequestException)
        {
            return new(TenantryAccessOutcome.Unavailable, null);
        }
        catch (TenantryApiException)
        {
            return new(TenantryAccessOutcome.Unavailable, null);
        }
    }
}
