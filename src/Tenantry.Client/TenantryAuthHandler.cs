using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tenantry.Client.Api;

namespace Tenantry.Client;

/// <summary>
/// Refreshes the session's tokens, one refresh at a time. A refresh token is single-use and
/// reusing one revokes the whole session, so concurrent requests that find the access token
/// expired (or get <c>401</c>) share one refresh: the first caller refreshes, the others wait and
/// take its result.
/// </summary>
public sealed class TenantryTokenRefresher(ITenantryTokenStore store, IOptions<TenantryClientOptions> options, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ITenantryTokenStore Store => store;

    internal bool NearExpiry(TenantryTokens tokens) => tokens.AccessTokenExpiresAt - clock.GetUtcNow() <= options.Value.RefreshBeforeExpiry;

    /// <summary>
    /// A current access token: <paramref name="stale"/> was refused or is about to expire. Null when there
    /// is no session or the refresh was refused (the session ended; the tokens are forgotten).
    /// </summary>
    internal async Task<string?> RefreshAsync(
        string stale, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = await store.GetAsync(cancellationToken);
            if (current is null)
            {
                return null;
            }
            if (current.AccessToken != stale && !NearExpiry(current))
            {
                // Someone refreshed while this caller waited.
                return current.AccessToken;
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(TenantryClient.Root(options.Value.BaseAddress), "web/v1/auth/refresh"))
            {
                Content = new StringContent(JsonSerializer.Serialize(new RefreshRequest { RefreshToken = current.RefreshToken }, Json), Encoding.UTF8, "application/json"),
            };
            if (options.Value.PortalAccessCode is { } code)
            {
                request.Headers.Add("X-PORTAL-ACCESS-CODE", code);
            }
            using var response = await send(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                await store.SetAsync(null, cancellationToken);
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw TenantryApiException.FromResponse((int)response.StatusCode, body, null);
            }
            var tokens = JsonSerializer.Deserialize<EnvelopeDocOfSystemAuthTokens>(body, Json)!.Data!;
            var fresh = TenantryClient.ToTokens(tokens, clock);
            await store.SetAsync(fresh, cancellationToken);
            return fresh.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// The SYSTEM dialect's headers on every request (portal code, language), the session's access
/// token, refreshed shortly before it expires and once more when the server answers <c>401</c>.
/// </summary>
public sealed class TenantryAuthHandler(TenantryTokenRefresher refresher, IOptions<TenantryClientOptions> options) : DelegatingHandler
{
    /// <summary>Requests that never carry the session's token (they start or renew one).</summary>
    private static readonly string[] s_anonymous = ["web/v1/auth/sign-up", "web/v1/auth/sign-in", "web/v1/auth/refresh", "web/v1/auth/mfa/challenge"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        RequestHeaders.Set(request, "X-PORTAL-ACCESS-CODE", settings.PortalAccessCode, settings.Language);
        var path = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.AbsolutePath : request.RequestUri?.OriginalString ?? string.Empty;
        if (s_anonymous.Any(p => path.EndsWith(p, StringComparison.Ordinal)) || request.Headers.Authorization is not null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var tokens = await refresher.Store.GetAsync(cancellationToken);
        var token = tokens?.AccessToken;
        if (tokens is not null && refresher.NearExpiry(tokens))
        {
            token = await refresher.RefreshAsync(tokens.AccessToken, base.SendAsync, cancellationToken);
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || token is null)
        {
            return response;
        }
        // Expired in between, or refused: refresh once (shared with concurrent callers) and try again.
        var refreshed = await refresher.RefreshAsync(token, base.SendAsync, cancellationToken);
        if (refreshed is null || refreshed == token)
        {
            return response;
        }
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", refreshed);
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Adds <c>X-Admin-Key</c> (and the language) to every operator request.</summary>
public sealed class TenantryAdminKeyHandler(IOptions<TenantryAdminClientOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        RequestHeaders.Set(request, "X-Admin-Key", settings.AdminApiKey, settings.Language);
        return base.SendAsync(request, cancellationToken);
    }
}

internal static class RequestHeaders
{
    /// <summary>
    /// Puts the client's credential header (replacing one already there) and, unless the request names one,
    /// its language on a request; nothing for what is not configured.
    /// </summary>
    public static void Set(HttpRequestMessage request, string credentialHeader, string? credential, string? language)
    {
        if (credential is not null)
        {
            request.Headers.Remove(credentialHeader);
            request.Headers.Add(credentialHeader, credential);
        }
        if (language is not null && !request.Headers.Contains("Accept-Language"))
        {
            request.Headers.Add("Accept-Language", language);
        }
    }
}
