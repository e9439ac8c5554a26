using System.Net;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Operator;

/// <summary>The operator API's search, account actions, institution suspension, members, audit trail and signing keys.</summary>
public sealed class OperatorDirectoryTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> AdminAsync(HttpMethod method, string path, string? adminKey = TenantryApp.AdminKey) =>
        _api.SendAsync(method, path, portalCode: null, configure: r =>
        {
            if (adminKey is not null)
            {
                r.Headers.Add("X-Admin-Key", adminKey);
            }
        });

    private Task<ApiResponse> AdminGetAsync(string path) => AdminAsync(HttpMethod.Get, path);

    private Task<ApiResponse> AdminPostAsync(string path) => AdminAsync(HttpMethod.Post, path);

    private Task<ApiResponse> SignInAsync(TestUser user, string? password = null, string? language = null) =>
        _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = password ?? user.Password }, language: language);

    private async Task<JsonElement[]> OperatorEventsAsync(string query) =>
        (await AdminGetAsync("/admin/v1/audit-events?" + query)).AssertOk().EnumerateArray().ToArray();

    /// <summary>The account's own trail (<c>GET /admin/v1/users/{id}/events</c>), newest first.</summary>
    private async Task<JsonElement[]> AccountEventsAsync(TestUser user) =>
        (await AdminGetAsync($"/admin/v1/users/{user.UserId}/events")).AssertOk().EnumerateArray().ToArray();

    [Fact]
    public async Task Every_new_route_needs_the_admin_key()
    {
        var user = await _api.SignUpAsync();
        foreach (var (method, path) in new[]
                 {
                     (HttpMethod.Get, "/admin/v1/users"), (HttpMethod.Get, $"/admin/v1/users/{user.UserId}"),
                     (HttpMethod.Post, $"/admin/v1/users/{user.UserId}/disable"), (HttpMethod.Get, "/admin/v1/institutions"),
                     (HttpMethod.Get, "/admin/v1/workspaces"), (HttpMethod.Get, "/admin/v1/audit-events"),
                     (HttpMethod.Get, "/admin/v1/signing-keys"), (HttpMethod.Post, "/admin/v1/signing-keys/rotate"),
                 })
        {
            (await AdminAsync(method, path, adminKey: null)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
            (await _api.SendAsync(method, path, token: user.AccessToken, portalCode: null)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        }
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(user)).Status);
    }

    [Fact]
    public async Task Users_are_found_by_email_name_or_id_a_page_at_a_time()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var users = new List<TestUser>();
        for (var i = 0; i < 3; i++)
        {
            users.Add(await _api.SignUpAsync(SystemApi.NewEmail($"find{tag}"), $"Finder {i}"));
        }

        var first = await AdminGetAsync($"/admin/v1/users?query=FIND{tag}&page=1&pageSize=2");
        var page1 = first.AssertOk().EnumerateArray().ToArray();
        Assert.Equal("3", first.Header("X-Total-Count"));
        Assert.Equal(2, page1.Length);
        // Newest first.
        Assert.Equal(users[2].UserId, page1[0].Text("userBizId"));
        var page2 = (await AdminGetAsync($"/admin/v1/users?query=find{tag}&page=2&pageSize=2")).AssertOk().EnumerateArray().ToArray();
        Assert.Equal(users[0].UserId, Assert.Single(page2).Text("userBizId"));

        var byId = (await AdminGetAsync($"/admin/v1/users?query={users[1].UserId}")).AssertOk();
        Assert.Equal(users[1].Email, Assert.Single(byId.EnumerateArray()).Text("email"));

        var one = (await AdminGetAsync($"/admin/v1/users/{users[0].UserId}")).AssertOk();
        Assert.Equal("ACTIVE", one.Text("status"));
        Assert.Equal(1, one.GetProperty("activeSessions").GetInt32());
        Assert.False(one.GetProperty("mfaEnabled").GetBoolean());
        Assert.False(one.TryGetProperty("passwordHash", out _));

        (await AdminGetAsync("/admin/v1/users/usr_00000000000000000000000000")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await AdminGetAsync("/admin/v1/users?pageSize=0")).AssertValidationError("pageSize");
    }

    [Fact]
    public async Task A_disabled_account_loses_its_sessions_at_once_and_cannot_sign_in_until_enabled()
    {
        var user = await _api.SignUpAsync();
        await _api.CreateWorkspaceAsync(user);
        var wacht = await new WachtApi(app.CreateHttpClient()).GetAsync("/me/workspace-memberships", user.SessionCookie);
        Assert.Equal(HttpStatusCode.OK, wacht.Status);

        var disabled = (await AdminPostAsync($"/admin/v1/users/{user.UserId}/disable")).AssertOk();
        Assert.Equal("DISABLED", disabled.Text("status"));
        Assert.Equal(0, disabled.GetProperty("activeSessions").GetInt32());

        (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        Assert.Equal(HttpStatusCode.Unauthorized, (await new WachtApi(app.CreateHttpClient()).GetAsync("/me/workspace-memberships", user.SessionCookie)).Status);
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");

        var refused = await SignInAsync(user, language: "ja");
        refused.AssertEnvelope(HttpStatusCode.Forbidden, "AUTH.ACCOUNT_DISABLED");
        Assert.Equal("このアカウントは無効化されています。管理者にお問い合わせください。", refused.MessageText);
        // A wrong password still says only that: nothing about the account's state.
        (await SignInAsync(user, password: "wrong password 123")).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        // Disabling again changes nothing and records nothing.
        (await AdminPostAsync($"/admin/v1/users/{user.UserId}/disable")).AssertOk();

        Assert.Equal("ACTIVE", (await AdminPostAsync($"/admin/v1/users/{user.UserId}/enable")).AssertOk().Text("status"));
        var signedIn = (await SignInAsync(user)).AssertOk();
        (await _api.GetAsync("/web/v1/system/workspaces/mine", signedIn.Text("accessToken"))).AssertOk();

        // Recorded in the account's trail (like the address being vouched for), not in any institution's.
        var mine = await AccountEventsAsync(user);
        Assert.Equal(["account.enabled", "account.disabled"], mine.Select(e => e.Text("action")));
        Assert.All(mine, e =>
        {
            Assert.Equal("operator", e.Text("actor"));
            Assert.Equal(JsonValueKind.Null, e.GetProperty("actorUserBizId").ValueKind);
        });
        Assert.Equal(1, mine[1].GetProperty("details").GetProperty("sessionsRevoked").GetInt32());
        Assert.DoesNotContain(await OperatorEventsAsync("pageSize=200"), e => e.Text("targetBizId") == user.UserId);
    }

    [Fact]
    public async Task Revoking_sessions_signs_out_everywhere_but_keeps_the_account()
    {
        var user = await _api.SignUpAsync();
        var second = (await SignInAsync(user)).AssertOk().Text("accessToken");

        var answer = (await AdminPostAsync($"/admin/v1/users/{user.UserId}/revoke-sessions")).AssertOk();
        Assert.Equal(0, answer.GetProperty("activeSessions").GetInt32());
        foreach (var token in new[] { user.AccessToken, second })
        {
            (await _api.GetAsync("/web/v1/system/workspaces/mine", token)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        }
        (await SignInAsync(user)).AssertOk();
        var revoked = Assert.Single(await AccountEventsAsync(user));
        Assert.Equal("sessions.revoked", revoked.Text("action"));
        Assert.Equal(2, revoked.GetProperty("details").GetProperty("sessionsRevoked").GetInt32());
        (await AdminPostAsync("/admin/v1/users/usr_00000000000000000000000000/revoke-sessions")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await AdminPostAsync("/admin/v1/users/not-an-id/revoke-sessions")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }

    [Fact]
    public async Task Resetting_mfa_lets_the_password_alone_sign_in_again()
    {
        var user = await _api.SignUpAsync();
        await _api.EnableMfaAsync(user, DateTimeOffset.UtcNow);
        var challenged = await SignInAsync(user);
        Assert.Equal(HttpStatusCode.OK, challenged.Status);
        Assert.NotEqual("2000", challenged.Code);
        Assert.True((await AdminGetAsync($"/admin/v1/users/{user.UserId}")).AssertOk().GetProperty("mfaEnabled").GetBoolean());

        var reset = (await AdminPostAsync($"/admin/v1/users/{user.UserId}/reset-mfa")).AssertOk();
        Assert.False(reset.GetProperty("mfaEnabled").GetBoolean());
        Assert.NotNull((await SignInAsync(user)).AssertOk().GetProperty("accessToken").GetString());
        var reset1 = Assert.Single(await AccountEventsAsync(user));
        Assert.Equal("mfa.reset", reset1.Text("action"));
        Assert.Equal("operator", reset1.Text("actor"));
        Assert.True(reset1.GetProperty("details").GetProperty("hadAuthenticator").GetBoolean());
    }

    [Fact]
    public async Task Institutions_and_workspaces_are_listed_shown_suspended_and_resumed()
    {
        var owner = await _api.SignUpAsync();
        var name = "Suspendable " + Guid.NewGuid().ToString("N")[..8];
        var workspaceId = await _api.CreateWorkspaceAsync(owner, name);
        var institutionId = Assert.Single(await _api.ListMineAsync(owner)).Text("institutionBizId");
        var member = await _api.SignUpAsync();
        await app.AddMemberAsync(workspaceId, member.UserId);

        var found = await AdminGetAsync($"/admin/v1/workspaces?query={Uri.EscapeDataString(name.ToUpperInvariant())}");
        Assert.Equal("1", found.Header("X-Total-Count"));
        Assert.Equal(workspaceId, Assert.Single(found.AssertOk().EnumerateArray()).Text("bizId"));
        Assert.Equal(workspaceId, Assert.Single((await AdminGetAsync($"/admin/v1/workspaces?institutionBizId={institutionId}")).AssertOk().EnumerateArray()).Text("bizId"));
        Assert.Equal(2, (await AdminGetAsync($"/admin/v1/workspaces/{workspaceId}")).AssertOk().GetProperty("memberCount").GetInt32());
        (await AdminGetAsync("/admin/v1/workspaces?status=ASLEEP")).AssertValidationError("status");
        Assert.Equal(institutionId, Assert.Single((await AdminGetAsync($"/admin/v1/institutions?query={institutionId}")).AssertOk().EnumerateArray()).Text("institutionBizId"));
        (await AdminGetAsync($"/admin/v1/institutions/{institutionId}")).AssertOk();
        (await AdminGetAsync("/admin/v1/institutions/inst_00000000000000000000000000")).AssertEnvelope(HttpStatusCode.NotFound, "4040");

        var members = await AdminGetAsync($"/admin/v1/workspaces/{workspaceId}/members");
        Assert.Equal("2", members.Header("X-Total-Count"));
        var rows = members.AssertOk().EnumerateArray().ToArray();
        Assert.Equal([owner.UserId, member.UserId], rows.Select(r => r.Text("userBizId")));
        Assert.Equal(["Owner", "Member"], rows.Select(r => r.Text("workspaceRoleName")));
        (await AdminGetAsync("/admin/v1/workspaces/ws_00000000000000000000000000/members")).AssertEnvelope(HttpStatusCode.NotFound, "4040");

        var suspended = (await AdminPostAsync($"/admin/v1/institutions/{institutionId}/suspend")).AssertOk();
        Assert.Equal(1, suspended.GetProperty("workspacesChanged").GetInt32());
        Assert.False(Assert.Single(await _api.ListMineAsync(member)).GetProperty("enterable").GetBoolean());
        Assert.Equal("SUSPENDED", Assert.Single((await AdminGetAsync($"/admin/v1/workspaces?institutionBizId={institutionId}&status=SUSPENDED")).AssertOk().EnumerateArray())
            .GetProperty("workspaceStatus").Text("code"));

        (await AdminPostAsync($"/admin/v1/institutions/{institutionId}/resume")).AssertOk();
        Assert.True(Assert.Single(await _api.ListMineAsync(member)).GetProperty("enterable").GetBoolean());

        var trail = await OperatorEventsAsync($"institutionBizId={institutionId}");
        Assert.Equal(["institution.resumed", "institution.suspended"], trail.Take(2).Select(e => e.Text("action")));
        Assert.All(trail.Take(2), e => Assert.Equal("operator", e.Text("actorUserBizId")));
    }

    [Fact]
    public async Task Operator_changes_to_a_workspace_show_the_operator_in_its_own_audit_trail()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        var before = (await AdminGetAsync("/admin/v1/audit-events?pageSize=1")).AssertOk();
        var newest = Assert.Single(before.EnumerateArray()).Text("eventBizId");

        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { description = "Reviewed", privateMetadata = new { secret = "x" } })).AssertOk();

        var trail = (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/audit-events", owner.AccessToken)).AssertOk().EnumerateArray().ToArray();
        var updated = trail.First(e => e.Text("action") == "workspace.updated");
        Assert.Equal("operator", updated.Text("actorUserBizId"));
        Assert.Equal(["privateMetadata", "description"], updated.GetProperty("details").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.DoesNotContain("secret", updated.GetProperty("details").GetRawText());

        // Following the trail: only what came after the newest event seen.
        var since = await OperatorEventsAsync($"after={newest}&workspaceBizId={workspaceId}");
        Assert.Equal("workspace.updated", Assert.Single(since).Text("action"));
    }

    [Fact]
    public async Task Signing_keys_are_listed_and_a_rotation_publishes_the_next_key_before_it_signs()
    {
        var keys = (await AdminGetAsync("/admin/v1/signing-keys")).AssertOk().EnumerateArray().ToArray();
        Assert.Contains(keys, k => k.Text("state") == "SIGNING");
        Assert.All(keys, k => Assert.False(k.TryGetProperty("privateKey", out _)));

        var rotated = (await AdminPostAsync("/admin/v1/signing-keys/rotate")).AssertOk().EnumerateArray().ToArray();
        var next = Assert.Single(rotated, k => k.Text("state") == "PUBLISHED");
        var signing = Assert.Single(rotated, k => k.Text("state") == "SIGNING");
        Assert.Equal(next.GetProperty("activatesAt").GetDateTime(), signing.GetProperty("retiresAt").GetDateTime());

        var jwks = JsonDocument.Parse(await (await _api.Http.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(jwks.GetProperty("keys").EnumerateArray(), k => k.Text("kid") == next.Text("kid"));
        var audited = Assert.Single(await OperatorEventsAsync("action=signing_key.rotated&pageSize=200"), e => e.Text("targetBizId") == next.Text("kid"));
        Assert.Equal("operator", audited.Text("actorUserBizId"));

        // Tokens keep being issued and accepted across the rotation.
        var user = await _api.SignUpAsync();
        (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertOk();
    }
}
