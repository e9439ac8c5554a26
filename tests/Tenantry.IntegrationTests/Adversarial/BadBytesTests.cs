using System.Net;
using System.Text;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Adversarial;

/// <summary>
/// Bytes no JSON text may hold, escapes no string may hold, and keys named twice: each dialect
/// answers its own 400 (Wacht's shape, SYSTEM's <c>4000</c>), never a 500, and nothing changes.
/// </summary>
public sealed class BadBytesTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private static HttpContent Json(byte[] body) => new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };

    private static HttpContent Json(string body) => Json(Encoding.UTF8.GetBytes(body));

    private static HttpContent Form(string body) => new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded");

    /// <summary>A user whose default is their own workspace, and a member of a second one.</summary>
    private async Task<(TestUser User, string Own, string Joined)> UserInTwoWorkspacesAsync()
    {
        var user = await _system.SignUpAsync();
        var own = await _system.CreateWorkspaceAsync(user, "Own");
        var owner = await _system.SignUpAsync();
        var joined = await _system.CreateWorkspaceAsync(owner, "Joined");
        await app.AddMemberAsync(joined, user.UserId);
        return (user, own, joined);
    }

    private async Task<string?> DefaultAsync(TestUser user) =>
        (await _system.ListMineAsync(user)).Where(i => i.GetProperty("isDefault").GetBoolean()).Select(i => i.GetProperty("workspaceBizId").GetString()).SingleOrDefault();

    public static readonly TheoryData<string, byte[]> NotUtf8 = new()
    {
        // {"workspace_id":"\xff"}: the reported 500 (GetString on invalid UTF-8).
        { "invalid byte in a value", [.. "{\"workspace_id\":\""u8, 0xff, .. "\"}"u8] },
        // {"\xff":"x"}: the property name.
        { "invalid byte in a name", [.. "{\""u8, 0xff, .. "\":\"x\"}"u8] },
        // An overlong encoding of '/' and a lone continuation byte.
        { "overlong encoding", [.. "{\"workspace_id\":\""u8, 0xc0, 0xaf, .. "\"}"u8] },
        { "lone continuation byte", [.. "{\"workspace_id\":\"ws_"u8, 0x80, .. "\"}"u8] },
        // Well-formed JSON escapes of a lone surrogate: no string can hold it.
        { "lone surrogate escape in a value", "{\"workspace_id\":\"\\ud800\"}"u8.ToArray() },
        { "lone surrogate escape in a name", "{\"\\udc00\":\"x\"}"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public async Task A_wacht_switch_with_bytes_that_are_not_utf8_is_a_400_that_changes_nothing(string what, byte[] body)
    {
        var (user, own, _) = await UserInTwoWorkspacesAsync();

        var response = await _wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", user.SessionCookie, Json(body));

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{what}: {response}");
        Assert.Equal(Catalog.Text("en", "Error.BadRequest"), response.AssertError(HttpStatusCode.BadRequest));
        Assert.Equal(own, await DefaultAsync(user));
    }

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public async Task A_wacht_leave_with_bytes_that_are_not_utf8_is_a_400_and_nobody_leaves(string what, byte[] body)
    {
        var (user, _, joined) = await UserInTwoWorkspacesAsync();

        var response = await _wacht.SendAsync(HttpMethod.Post, $"/workspaces/{joined}/leave", user.SessionCookie, Json(body));

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{what}: {response}");
        response.AssertError(HttpStatusCode.BadRequest);
        Assert.Equal(2, (await _system.ListMineAsync(user)).Length);
    }

    [Fact]
    public async Task A_wacht_json_body_naming_a_key_twice_is_a_400_that_changes_nothing()
    {
        var (user, own, joined) = await UserInTwoWorkspacesAsync();

        // Last-one-wins would switch to the second id; a reader that kept the first would refuse. Neither is guessed.
        var body = $"{{\"workspace_id\":\"ws_garbage\",\"workspace_id\":\"{joined}\"}}";
        var response = await _wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", user.SessionCookie, Json(body));

        Assert.Equal(Catalog.Text("en", "Error.BadRequest"), response.AssertError(HttpStatusCode.BadRequest));
        // Also when the second spelling hides behind an escape.
        var escaped = $"{{\"workspace_id\":\"ws_garbage\",\"workspace\\u005fid\":\"{joined}\"}}";
        (await _wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", user.SessionCookie, Json(escaped))).AssertError(HttpStatusCode.BadRequest);
        Assert.Equal(own, await DefaultAsync(user));
        // The same key in different case is another key, and a key once is fine.
        (await _wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", user.SessionCookie,
            Json($"{{\"Workspace_Id\":\"ws_garbage\",\"workspace_id\":\"{joined}\"}}"))).AssertOk();
        Assert.Equal(joined, await DefaultAsync(user));
    }

    [Fact]
    public async Task A_wacht_form_or_query_naming_a_key_twice_is_a_400_that_changes_nothing()
    {
        var (user, own, joined) = await UserInTwoWorkspacesAsync();

        var form = await _wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", user.SessionCookie, Form($"workspace_id={joined}&workspace_id={joined}"));
        Assert.Equal(Catalog.Text("en", "Error.BadRequest"), form.AssertError(HttpStatusCode.BadRequest));

        var multipart = new MultipartFormDataContent { { new StringContent(joined), "workspace_id" }, { new StringContent("ws_garbage"), "workspace_id" } };
        Assert.Equal(Catalog.Text("en", "Error.BadRequest"),
            (await _wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", user.SessionCookie, multipart)).AssertError(HttpStatusCode.BadRequest));

        var query = await _wacht.SendAsync(HttpMethod.Post, $"/session/switch-workspace?workspace_id={joined}&workspace_id=ws_garbage", user.SessionCookie, WachtApi.EmptyForm());
        Assert.Equal(Catalog.Text("en", "Error.BadRequest"), query.AssertError(HttpStatusCode.BadRequest));

        Assert.Equal(own, await DefaultAsync(user));
    }

    public static readonly TheoryData<string, byte[]> NotUtf8System = new()
    {
        { "invalid byte in a value", [.. "{\"workspaceName\":\""u8, 0xff, .. "\"}"u8] },
        { "invalid byte in a known name", [.. "{\"workspace"u8, 0xff, .. "Name\":\"A\"}"u8] },
        { "invalid byte in an unknown name", [.. "{\"workspaceName\":\"A\",\""u8, 0xff, .. "\":\"x\"}"u8] },
        { "overlong encoding", [.. "{\"workspaceName\":\""u8, 0xc0, 0xaf, .. "\"}"u8] },
        { "lone surrogate escape", "{\"workspaceName\":\"A\\ud800\"}"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(NotUtf8System))]
    public async Task A_system_json_body_with_bytes_that_are_not_utf8_is_a_4000_that_creates_nothing(string what, byte[] body)
    {
        var user = await _system.SignUpAsync();

        var response = await _system.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", token: user.AccessToken,
            configure: r => r.Content = Json(body));

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{what}: {response}");
        response.AssertEnvelope(HttpStatusCode.BadRequest, "4000");
        Assert.Empty(await _system.ListMineAsync(user));
    }

    [Theory]
    [MemberData(nameof(NotUtf8System))]
    public async Task A_system_partial_update_with_bytes_that_are_not_utf8_is_a_4000_that_changes_nothing(string what, byte[] body)
    {
        var user = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(user, "Before");

        var response = await _system.SendAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", token: user.AccessToken,
            configure: r => r.Content = Json(body));

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{what}: {response}");
        response.AssertEnvelope(HttpStatusCode.BadRequest, "4000");
        Assert.Equal("Before", Assert.Single(await _system.ListMineAsync(user)).GetProperty("workspaceName").GetString());
    }
}
