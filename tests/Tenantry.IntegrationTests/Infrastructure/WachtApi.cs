using System.Net;
using System.Text.Json;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// Speaks the Wacht dialect the way Wacht's front-end SDK does: the <c>__session</c> cookie from
/// the sign-in, no gateway headers (only <c>CF-Connecting-IP</c> from the trusted test proxy, to
/// choose the client IP), ids in the query string, bodies as forms.
/// </summary>
public sealed class WachtApi(HttpClient http)
{
    public const string ClientIp = "198.51.100.7";

    public async Task<WachtResponse> SendAsync(
        HttpMethod method, string path, string? cookie, HttpContent? body = null, string? clientIp = ClientIp, string? language = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"__session={cookie}");
        }
        if (clientIp is not null)
        {
            request.Headers.Add("CF-Connecting-IP", clientIp);
        }
        if (language is not null)
        {
            request.Headers.Add("Accept-Language", language);
        }
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        return new WachtResponse(response, await response.Content.ReadAsStringAsync());
    }

    public Task<WachtResponse> GetAsync(string path, string? cookie, string? clientIp = ClientIp, string? language = null) =>
        SendAsync(HttpMethod.Get, path, cookie, clientIp: clientIp, language: language);

    /// <summary>A POST with an empty <c>multipart/form-data</c> body (by default), as a browser sends an empty <c>FormData</c>.</summary>
    public Task<WachtResponse> PostAsync(string path, string? cookie, HttpContent? body = null) =>
        SendAsync(HttpMethod.Post, path, cookie, body ?? EmptyForm());

    /// <summary>What a browser sends for <c>new FormData()</c>: only the closing boundary.</summary>
    public static HttpContent EmptyForm()
    {
        const string boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        var content = new StringContent($"--{boundary}--\r\n");
        content.Headers.ContentType = new("multipart/form-data") { Parameters = { new("boundary", boundary) } };
        return content;
    }

    public async Task<JsonElement[]> WorkspaceMembershipsAsync(TestUser user, string? query = null, string? clientIp = ClientIp, string? language = null) =>
        (await SendAsync(HttpMethod.Get, "/me/workspace-memberships" + query, user.SessionCookie, clientIp: clientIp, language: language))
            .AssertOk().EnumerateArray().ToArray();

    public async Task<JsonElement[]> OrganizationMembershipsAsync(TestUser user, string? clientIp = ClientIp, string? language = null) =>
        (await SendAsync(HttpMethod.Get, "/me/organization-memberships", user.SessionCookie, clientIp: clientIp, language: language))
            .AssertOk().EnumerateArray().ToArray();

    /// <summary><c>GET /session</c>'s <c>active_signin</c>.</summary>
    public async Task<JsonElement> ActiveSignInAsync(TestUser user) =>
        (await GetAsync("/session", user.SessionCookie)).AssertOk().GetProperty("active_signin");
}

/// <summary>A Wacht answer with its JSON body parsed, and assertions about Wacht's success and error shapes.</summary>
public sealed class WachtResponse(HttpResponseMessage response, string body)
{
    public static readonly string[] SessionKeys = ["id", "created_at", "updated_at", "signin_attempts", "signins", "signup_attempts", "active_signin"];

    public static readonly string[] SignInKeys =
    [
        "id", "session_id", "user_id", "active_organization_membership_id", "active_workspace_membership_id", "ip_address", "user_agent",
        "browser", "device", "city", "region", "region_code", "country", "country_code", "expires_at", "last_active_at", "created_at", "updated_at", "user",
    ];

    public HttpStatusCode Status => response.StatusCode;
    public HttpResponseMessage Message => response;
    public string Body => body;
    public JsonElement Json { get; } = string.IsNullOrEmpty(body) ? default : JsonDocument.Parse(body).RootElement.Clone();

    public string? Header(string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues) : null;

    /// <summary>
    /// Asserts <c>{"status":200,"message":"","data":...,"session":{...},"errors":[]}</c>; returns <c>data</c>. The session is a
    /// signed-in one unless <paramref name="signedIn"/> is false: then it is the anonymous one (no id, no sign-ins, <c>active_signin</c> null).
    /// </summary>
    public JsonElement AssertOk(bool signedIn = true)
    {
        Assert.True(Status == HttpStatusCode.OK, $"Expected HTTP 200 but got {(int)Status}: {body}");
        Assert.Equal(["status", "message", "data", "session", "errors"], Json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(200, Json.GetProperty("status").GetInt32());
        Assert.Equal("", Json.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Array, Json.GetProperty("errors").ValueKind);
        Assert.Equal(0, Json.GetProperty("errors").GetArrayLength());
        var session = Json.GetProperty("session");
        Assert.Equal(SessionKeys, session.EnumerateObject().Select(p => p.Name).ToArray());
        if (signedIn)
        {
            Assert.Equal(SignInKeys, session.GetProperty("active_signin").EnumerateObject().Select(p => p.Name).ToArray());
        }
        else
        {
            AssertAnonymous(session);
        }
        return Json.GetProperty("data");
    }

    public JsonElement Session => Json.GetProperty("session");

    /// <summary>The session of a browser that is not signed in: what the SDK reads after a sign-out.</summary>
    public static void AssertAnonymous(JsonElement session)
    {
        Assert.Equal("", session.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("active_signin").ValueKind);
        Assert.Equal(0, session.GetProperty("signins").GetArrayLength());
    }

    /// <summary>Asserts Wacht's error shape <c>{"message","errors":[{"message","code"}]}</c> with the HTTP status as code; returns the message.</summary>
    public string AssertError(HttpStatusCode status)
    {
        Assert.True(status == Status, $"Expected HTTP {(int)status} but got {(int)Status}: {body}");
        Assert.Equal(["message", "errors"], Json.EnumerateObject().Select(p => p.Name).ToArray());
        var error = Assert.Single(Json.GetProperty("errors").EnumerateArray());
        Assert.Equal(["message", "code"], error.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.Equal(message, Json.GetProperty("message").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return message!;
    }

    public override string ToString() => $"{(int)Status} {body}";
}

public static class WachtAppExtensions
{
    public static WachtApi Wacht(this TenantryApp app) => new(app.CreateHttpClient());
}

/// <summary>The default test server with a recognizable Wacht deployment id.</summary>
public class WachtApp : TenantryApp
{
    public const string DeploymentId = "dep_tenantry_tests";

    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Wacht:DeploymentId"] = DeploymentId;
}
