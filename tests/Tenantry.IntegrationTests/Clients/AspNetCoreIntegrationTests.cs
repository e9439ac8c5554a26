using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tenantry.AspNetCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Clients;

/// <summary>A Tenantry whose signing keys rotate within seconds, so a test can watch a product API follow a rotation.</summary>
public sealed class FastRotationTenantryApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Auth:SigningKeyPublishLead"] = "00:00:02";
        settings["Tenantry:Auth:KeyRingRefreshInterval"] = "00:00:01";
    }
}

/// <summary>
/// Tenantry.AspNetCore in a product's own API (a real Kestrel app next to the real Tenantry): tokens
/// validated offline against the JWKS, workspace policies decided with one cached call.
/// </summary>
[Trait("Part", "Clients")]
public sealed class AspNetCoreIntegrationTests(FastRotationTenantryApp app) : IClassFixture<FastRotationTenantryApp>, IAsyncLifetime
{
    private static readonly TimeSpan s_cache = TimeSpan.FromSeconds(1);
    private WebApplication _product = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddTenantry(o =>
        {
            o.Authority = app.BaseAddress;
            o.PortalAccessCode = TenantryApp.PortalCode;
            o.AccessCacheDuration = s_cache;
            o.JwksMinimumRefreshInterval = TimeSpan.FromSeconds(1);
        });
        _product = builder.Build();
        _product.UseAuthentication();
        _product.UseAuthorization();
        _product.MapGet("/me", (HttpContext http) => new { user = http.User.TenantryUserId(), session = http.User.TenantrySessionId() }).RequireAuthorization();
        _product.MapGet("/workspaces/{workspaceId}/notes", (HttpContext http) => new { http.TenantryWorkspace()!.RoleId }).RequireWorkspaceMember();
        _product.MapPost("/workspaces/{workspaceId}/invite", () => "invited").RequireWorkspacePermission("members.invite");
        _product.MapGet("/notes", (HttpContext http) => http.TenantryWorkspace()!.WorkspaceId).RequireWorkspaceMember();
        await _product.StartAsync();
        var address = _product.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _product.DisposeAsync();
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? token, string? workspaceHeader = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (workspaceHeader is not null)
        {
            request.Headers.Add("X-Workspace-Id", workspaceHeader);
        }
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Members_pass_non_members_get_404_and_a_missing_permission_403()
    {
        var owner = await app.System.SignUpAsync();
        var workspaceId = await app.System.CreateWorkspaceAsync(owner);
        var member = await app.System.SignUpAsync();
        await app.AddMemberAsync(workspaceId, member.UserId);
        var stranger = await app.System.SignUpAsync();

        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, $"/workspaces/{workspaceId}/notes", member.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/notes", member.AccessToken, workspaceHeader: workspaceId));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, $"/workspaces/{workspaceId}/invite", owner.AccessToken));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Post, $"/workspaces/{workspaceId}/invite", member.AccessToken));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(HttpMethod.Get, $"/workspaces/{workspaceId}/notes", stranger.AccessToken));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(HttpMethod.Get, "/workspaces/ws_00000000000000000000000000/notes", stranger.AccessToken));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(HttpMethod.Get, "/notes", member.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, $"/workspaces/{workspaceId}/notes", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, $"/workspaces/{workspaceId}/notes", member.AccessToken[..^4] + "AAAA"));
    }

    [Fact]
    public async Task A_member_of_a_suspended_workspace_is_refused_with_403_within_the_cache_duration()
    {
        var owner = await app.System.SignUpAsync();
        var workspaceId = await app.System.CreateWorkspaceAsync(owner);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, $"/workspaces/{workspaceId}/notes", owner.AccessToken));

        (await app.System.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        await Task.Delay(s_cache + TimeSpan.FromMilliseconds(300));

        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Get, $"/workspaces/{workspaceId}/notes", owner.AccessToken));
    }

    [Fact]
    public async Task The_user_and_session_ids_are_claims()
    {
        var user = await app.System.SignUpAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(user.UserId, body, StringComparison.Ordinal);
        Assert.Contains(user.SessionId, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_out_session_is_refused_by_workspace_policies_within_the_cache_duration()
    {
        var owner = await app.System.SignUpAsync();
        var workspaceId = await app.System.CreateWorkspaceAsync(owner);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, $"/workspaces/{workspaceId}/notes", owner.AccessToken));

        (await app.System.PostAsync("/web/v1/auth/sign-out", token: owner.AccessToken)).AssertOk();
        await Task.Delay(s_cache + TimeSpan.FromMilliseconds(300));

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, $"/workspaces/{workspaceId}/notes", owner.AccessToken));
    }

    [Fact]
    public async Task Tokens_signed_with_a_rotated_key_are_accepted_once_it_signs()
    {
        var before = await app.System.SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/me", before.AccessToken));

        (await app.System.SendAsync(HttpMethod.Post, "/admin/v1/signing-keys/rotate", portalCode: null,
            configure: r => r.Headers.Add("X-Admin-Key", TenantryApp.AdminKey))).AssertOk();
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var after = await app.System.SignUpAsync();
        Assert.NotEqual(Kid(before.AccessToken), Kid(after.AccessToken));

        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/me", after.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/me", before.AccessToken));
    }

    private static string Kid(string jwt) =>
        global::System.Text.Json.JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(jwt.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;
}
