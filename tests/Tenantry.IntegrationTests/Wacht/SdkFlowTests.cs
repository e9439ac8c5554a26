using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// Drives the Wacht endpoints the way Wacht's React SDK does: the session cookie comes from the
/// sign-in's <c>Set-Cookie</c>, requests carry only that cookie, mutations send form bodies,
/// and the client reads <c>data</c> on success and <c>errors[0]</c> (or <c>message</c>) on failure.
/// </summary>
public sealed class SdkFlowTests(WachtApp app) : IClassFixture<WachtApp>
{
    private readonly SystemApi _system = app.System;

    /// <summary>A minimal SDK client: fetch with credentials, then the SDK's response mapper.</summary>
    private sealed class SdkClient(HttpClient http, string cookieHeader)
    {
        public async Task<(HttpStatusCode Status, JsonElement Data, string? ErrorMessage, int? ErrorCode)> FetchAsync(
            string path, HttpMethod? method = null, HttpContent? body = null)
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path) { Content = body };
            request.Headers.Add("Cookie", cookieHeader);
            using var response = await http.SendAsync(request);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (!response.IsSuccessStatusCode)
            {
                // responseMapper: json.message, else json.errors[0].message.
                var first = json.GetProperty("errors")[0];
                return (response.StatusCode, default, json.TryGetProperty("message", out var m) ? m.GetString() : first.GetProperty("message").GetString(),
                    first.GetProperty("code").GetInt32());
            }
            return (response.StatusCode, json.GetProperty("data"), null, null);
        }
    }

    [Fact]
    public async Task The_sdk_signs_in_lists_switches_and_reads_errors()
    {
        // An account with its own workspace, and a membership of a colleague's.
        var me = await _system.SignUpAsync();
        var colleague = await _system.SignUpAsync();
        var own = await _system.CreateWorkspaceAsync(me, "Own");
        var team = await _system.CreateWorkspaceAsync(colleague, "Team");
        await app.AddOrganizationMemberAsync(team, me.UserId);
        var teamOrg = await app.InstitutionOfAsync(team);

        // Sign in through the SYSTEM gateway; the browser keeps the cookie from Set-Cookie.
        var signIn = await _system.PostAsync("/web/v1/auth/sign-in", new { email = me.Email, password = me.Password });
        var sessionId = signIn.AssertOk().GetProperty("sessionId").GetString();
        var setCookie = signIn.Message.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        var sdk = new SdkClient(app.CreateHttpClient(), setCookie.Split(';')[0]);

        // useSession: GET /session.
        var (status, session, _, _) = await sdk.FetchAsync("/session");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(sessionId, session.GetProperty("id").GetString());
        Assert.Equal(me.UserId, session.GetProperty("active_signin").GetProperty("user_id").GetString());

        // useOrganizationMemberships / useWorkspaceMemberships.
        var (_, organizations, _, _) = await sdk.FetchAsync("/me/organization-memberships");
        Assert.Equal(2, organizations.GetArrayLength());
        var (_, memberships, _, _) = await sdk.FetchAsync("/me/workspace-memberships");
        var teamMembership = memberships.EnumerateArray().Single(m => m.GetProperty("workspace").GetProperty("id").GetString() == team);

        // useActiveWorkspace finds the membership whose id is active_workspace_membership_id.
        var ownMembership = memberships.EnumerateArray().Single(m => m.GetProperty("workspace").GetProperty("id").GetString() == own);
        Assert.Equal(ownMembership.GetProperty("id").GetString(), session.GetProperty("active_signin").GetProperty("active_workspace_membership_id").GetString());

        // switchWorkspace: POST with the id in the query and an empty FormData body; the data is the session.
        var (switched, afterSwitch, _, _) = await sdk.FetchAsync($"/session/switch-workspace?workspace_id={team}", HttpMethod.Post, WachtApi.EmptyForm());
        Assert.Equal(HttpStatusCode.OK, switched);
        Assert.Equal(teamMembership.GetProperty("id").GetString(), afterSwitch.GetProperty("active_signin").GetProperty("active_workspace_membership_id").GetString());
        var teamOrganization = organizations.EnumerateArray().Single(o => o.GetProperty("organization").GetProperty("id").GetString() == teamOrg);
        Assert.Equal(teamOrganization.GetProperty("id").GetString(), afterSwitch.GetProperty("active_signin").GetProperty("active_organization_membership_id").GetString());

        // The same id in a urlencoded form, or in JSON, is as good as the query string.
        var (formSwitch, afterForm, _, _) = await sdk.FetchAsync("/session/switch-workspace", HttpMethod.Post,
            new FormUrlEncodedContent([new("workspace_id", own)]));
        Assert.Equal(HttpStatusCode.OK, formSwitch);
        Assert.Equal(ownMembership.GetProperty("id").GetString(), afterForm.GetProperty("active_signin").GetProperty("active_workspace_membership_id").GetString());
        var multipart = new MultipartFormDataContent { { new StringContent(teamOrg), "organization_id" } };
        Assert.Equal(HttpStatusCode.OK, (await sdk.FetchAsync("/session/switch-organization", HttpMethod.Post, multipart)).Status);
        Assert.Equal(HttpStatusCode.OK, (await sdk.FetchAsync("/session/switch-workspace", HttpMethod.Post, JsonContent.Create(new { workspace_id = team }))).Status);
        Assert.Equal(team, (await _system.ListMineAsync(me)).Single(i => i.GetProperty("isDefault").GetBoolean()).GetProperty("workspaceBizId").GetString());

        // Failures: the SDK shows errors[0].message and the code is the HTTP status.
        var (refused, _, message, code) = await sdk.FetchAsync($"/session/switch-workspace?workspace_id=ws_{new string('0', 26)}", HttpMethod.Post, WachtApi.EmptyForm());
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal(400, code);
        Assert.Equal(Catalog.Text("en", "Error.NotAMember"), message);
        var (lastOwner, _, ownerMessage, ownerCode) = await sdk.FetchAsync($"/workspaces/{own}/leave", HttpMethod.Post);
        Assert.Equal((HttpStatusCode.Forbidden, 403), (lastOwner, ownerCode));
        Assert.Equal(Catalog.Text("en", "Error.LastOwner"), ownerMessage);

        // leaveWorkspace / leaveOrganization.
        Assert.Equal(HttpStatusCode.OK, (await sdk.FetchAsync($"/workspaces/{team}/leave", HttpMethod.Post)).Status);
        Assert.Equal(HttpStatusCode.OK, (await sdk.FetchAsync($"/organizations/{teamOrg}/leave", HttpMethod.Post)).Status);
        var (_, remaining, _, _) = await sdk.FetchAsync("/me/organization-memberships");
        Assert.Equal(1, remaining.GetArrayLength());
    }

    [Fact]
    public async Task Bearer_session_tokens_work_like_the_cookie()
    {
        var me = await _system.SignUpAsync();
        var wacht = app.Wacht();

        var session = (await wacht.SendAsync(HttpMethod.Get, "/session", cookie: null, configure: r => r.Headers.Authorization = new("Bearer", me.SessionCookie))).AssertOk();

        Assert.Equal(me.SessionId, session.GetProperty("id").GetString());
        // The SYSTEM access token is not a session token.
        (await wacht.SendAsync(HttpMethod.Get, "/me", cookie: null, configure: r => r.Headers.Authorization = new("Bearer", me.AccessToken)))
            .AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unreadable_bodies_are_wacht_errors()
    {
        var me = await _system.SignUpAsync();
        var wacht = app.Wacht();

        (await wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", me.SessionCookie, new StringContent("{\"workspace_id\":", Encoding.UTF8, "application/json")))
            .AssertError(HttpStatusCode.BadRequest);
        (await wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", me.SessionCookie, new StringContent("[1,2]", Encoding.UTF8, "application/json")))
            .AssertError(HttpStatusCode.BadRequest);
        (await wacht.SendAsync(HttpMethod.Post, "/session/switch-organization", me.SessionCookie, new StringContent("workspace_id=x", Encoding.UTF8, "text/plain")))
            .AssertError(HttpStatusCode.UnsupportedMediaType);
        var brokenMultipart = new StringContent("--b\r\nContent-Disposition: form-data; name=\"workspace_id\"\r\n\r\nx", Encoding.UTF8);
        brokenMultipart.Headers.ContentType = new("multipart/form-data") { Parameters = { new("boundary", "b") } };
        (await wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", me.SessionCookie, brokenMultipart)).AssertError(HttpStatusCode.BadRequest);
        var tooLarge = new StringContent("{\"workspace_id\":\"" + new string('x', 1024 * 1024 + 10) + "\"}", Encoding.UTF8, "application/json");
        // Expect: 100-continue, as a client sending a large body should: the server refuses it on its
        // length and closes the connection, which without it can break the upload before the answer is read.
        (await wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", me.SessionCookie, tooLarge, configure: r => r.Headers.ExpectContinue = true))
            .AssertError(HttpStatusCode.RequestEntityTooLarge);
    }
}
