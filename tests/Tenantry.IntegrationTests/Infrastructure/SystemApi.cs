using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>A signed-up user as the tests hold them.</summary>
public sealed record TestUser(string Email, string Password, string UserId, string AccessToken, string RefreshToken, string SessionId, string SessionCookie);

/// <summary>
/// Speaks the SYSTEM dialect the way a front end behind the gateway does: portal code,
/// Cloudflare simulation headers, Bearer token, Accept-Language.
/// </summary>
public sealed class SystemApi(HttpClient http)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Http => http;

    public async Task<ApiResponse> SendAsync(
        HttpMethod method, string path, object? body = null, string? token = null, string? language = null,
        string? clientIp = "198.51.100.7", string? portalCode = TenantryApp.PortalCode, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (portalCode is not null)
        {
            request.Headers.Add("X-PORTAL-ACCESS-CODE", portalCode);
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("X-Client-Hash", "test-device");
        request.Headers.Add("Cf-Ray", "8c0ffee-FRA");
        request.Headers.Add("cf-ipcountry", "DE");
        if (clientIp is not null)
        {
            request.Headers.Add("CF-Connecting-IP", clientIp);
        }
        if (language is not null)
        {
            request.Headers.Add("Accept-Language", language);
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            var json = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        return new ApiResponse(response, await response.Content.ReadAsStringAsync());
    }

    public Task<ApiResponse> GetAsync(string path, string? token = null, string? language = null, string? clientIp = "198.51.100.7") =>
        SendAsync(HttpMethod.Get, path, token: token, language: language, clientIp: clientIp);

    public Task<ApiResponse> PostAsync(string path, object? body = null, string? token = null, string? language = null) =>
        SendAsync(HttpMethod.Post, path, body, token, language);

    public Task<ApiResponse> PatchAsync(string path, object? body, string? token) => SendAsync(HttpMethod.Patch, path, body, token);

    public static string NewEmail(string who = "user") => $"{who}-{Guid.NewGuid():N}@example.com";

    public async Task<TestUser> SignUpAsync(string? email = null, string displayName = "Test User")
    {
        email ??= NewEmail();
        var response = await PostAsync("/web/v1/auth/sign-up", new { email, password = Password, displayName });
        var data = response.AssertOk();
        var cookie = response.Message.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__session=", StringComparison.Ordinal));
        return new TestUser(email, Password, data.GetProperty("userBizId").GetString()!, data.GetProperty("accessToken").GetString()!,
            data.GetProperty("refreshToken").GetString()!, data.GetProperty("sessionId").GetString()!, cookie.Split(';')[0]["__session=".Length..]);
    }

    /// <summary>
    /// Signs up and has an operator vouch for the address (<c>PATCH /admin/v1/users/{id}</c>), as a test's set-up for
    /// a user who answers invitations by their address; the verification flows themselves have their own tests.
    /// </summary>
    public async Task<TestUser> SignUpVerifiedAsync(string? email = null, string displayName = "Test User")
    {
        var user = await SignUpAsync(email, displayName);
        await VerifyEmailAsync(user);
        return user;
    }

    /// <summary>Marks the user's address verified through the operator API (set-up: the server must have the admin key).</summary>
    public async Task VerifyEmailAsync(TestUser user) =>
        Assert.True((await AdminPatchAsync($"/admin/v1/users/{user.UserId}", new { emailVerified = true })).AssertOk().GetProperty("emailVerified").GetBoolean());

    /// <summary>The caller's own account (<c>GET /web/v1/auth/me</c>).</summary>
    public async Task<JsonElement> MeAsync(TestUser user) => (await GetAsync("/web/v1/auth/me", user.AccessToken)).AssertOk();

    /// <summary>Creates the user's own workspace; returns its id.</summary>
    public async Task<string> CreateWorkspaceAsync(TestUser user, string name = "Acme", string? kind = null)
    {
        var response = await PostAsync("/web/v1/workspaces/self", new { workspaceName = name, workspaceKind = kind }, user.AccessToken);
        return response.AssertOk("1.3.0").GetProperty("bizId").GetString()!;
    }

    public async Task<JsonElement[]> ListMineAsync(TestUser user, string? clientIp = "198.51.100.7")
    {
        var response = await GetAsync("/web/v1/system/workspaces/mine", user.AccessToken, clientIp: clientIp);
        return response.AssertOk("2.0.0").EnumerateArray().ToArray();
    }

    public Task<ApiResponse> AdminPatchAsync(string path, object body, string? adminKey = TenantryApp.AdminKey) =>
        AdminSendAsync(HttpMethod.Patch, path, body, adminKey);

    public Task<ApiResponse> AdminGetAsync(string path, string? adminKey = TenantryApp.AdminKey) => AdminSendAsync(HttpMethod.Get, path, null, adminKey);

    /// <summary>An operator API call, with the operator key unless <paramref name="adminKey"/> is null.</summary>
    public Task<ApiResponse> AdminSendAsync(HttpMethod method, string path, object? body = null, string? adminKey = TenantryApp.AdminKey) =>
        SendAsync(method, path, body, portalCode: null, configure: r =>
        {
            if (adminKey is not null)
            {
                r.Headers.Add("X-Admin-Key", adminKey);
            }
        });
}
