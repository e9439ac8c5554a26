using System.Globalization;
using System.Net;
using System.Text;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Operator;

/// <summary>
/// CONTRACT 8, operator API: the key is checked before anything else, so that without it every
/// <c>/admin/v1</c> path answers the same 401 (no 400 or 415 from reading the body, no 404 or 405
/// telling which routes exist).
/// </summary>
public sealed class OperatorKeyFirstTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> SendAsync(HttpMethod method, string path, string? adminKey, HttpContent? content = null) =>
        _api.SendAsync(method, path, portalCode: null, configure: r =>
        {
            if (adminKey is not null)
            {
                r.Headers.Add("X-Admin-Key", adminKey);
            }
            r.Content = content;
        });

    private static HttpContent Body(string text, string contentType = "application/json") => new StringContent(text, Encoding.UTF8, contentType);

    public static readonly TheoryData<string, string, string?, string?, HttpStatusCode, string> Requests = new()
    {
        // What each request answers with the key: without it, every one of them is the same 401.
        { "malformed JSON", "PATCH /admin/v1/workspaces/ws_00000000000000000000000000", "{\"workspaceStatus\":", "application/json", HttpStatusCode.BadRequest, "4000" },
        { "wrong JSON type", "PATCH /admin/v1/workspaces/ws_00000000000000000000000000", "{\"workspaceStatus\":[1]}", "application/json", HttpStatusCode.BadRequest, "4000" },
        { "no body", "PATCH /admin/v1/institutions/inst_00000000000000000000000000", null, null, HttpStatusCode.BadRequest, "4000" },
        { "not JSON", "PATCH /admin/v1/workspaces/ws_00000000000000000000000000", "workspaceStatus=SUSPENDED", "text/plain", HttpStatusCode.UnsupportedMediaType, "4150" },
        { "unknown route", "GET /admin/v1/accounts", null, null, HttpStatusCode.NotFound, "4040" },
        { "unknown nested route", "PATCH /admin/v1/workspaces/ws_x/owner", "{}", "application/json", HttpStatusCode.NotFound, "4040" },
        { "wrong method", "DELETE /admin/v1/workspaces/ws_00000000000000000000000000", null, null, HttpStatusCode.MethodNotAllowed, "4050" },
        { "unknown id", "PATCH /admin/v1/workspaces/ws_00000000000000000000000000", "{\"workspaceStatus\":\"SUSPENDED\"}", "application/json", HttpStatusCode.NotFound, "4040" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Without_the_key_every_operator_request_is_the_same_401(string what, string request, string? body, string? contentType, HttpStatusCode withKey, string codeWithKey)
    {
        var method = new HttpMethod(request.Split(' ')[0]);
        var path = request.Split(' ')[1];
        HttpContent? Content() => body is null ? null : Body(body, contentType!);

        var missing = await SendAsync(method, path, adminKey: null, Content());
        var wrong = await SendAsync(method, path, adminKey: "not-the-key-" + new string('x', 40), Content());
        var keyed = await SendAsync(method, path, TenantryApp.AdminKey, Content());

        Assert.True(missing.Status == HttpStatusCode.Unauthorized, $"{what} without a key: {missing}");
        missing.AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        wrong.AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        Assert.Equal(Catalog.Text("en", "Error.InvalidAdminKey"), missing.MessageText);
        Assert.Equal(missing.MessageText, wrong.MessageText);
        Assert.True(keyed.Status == withKey, $"{what} with the key: {keyed}");
        keyed.AssertEnvelope(withKey, codeWithKey);
    }

    [Fact]
    public async Task A_user_token_is_no_key_whatever_the_route()
    {
        var owner = await _api.SignUpAsync();
        var response = await _api.SendAsync(HttpMethod.Get, "/admin/v1/nothing-here", token: owner.AccessToken, portalCode: null);
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }
}

/// <summary>A server that allows three wrong operator keys per client IP and hour.</summary>
public sealed class TightOperatorKeyApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Operator:WrongKeysPerIp"] = "3";
        settings["Tenantry:Operator:WrongKeysWindow"] = "01:00:00";
    }
}

/// <summary>Wrong operator keys are limited per client IP: <c>429</c>/<c>4290</c> with <c>Retry-After</c>.</summary>
public sealed class OperatorKeyLimitTests(TightOperatorKeyApp app) : IClassFixture<TightOperatorKeyApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> PatchAsync(string workspaceId, string? adminKey, string clientIp) =>
        _api.SendAsync(HttpMethod.Patch, $"/admin/v1/workspaces/{workspaceId}", new { description = "probe" }, portalCode: null, clientIp: clientIp, configure: r =>
        {
            if (adminKey is not null)
            {
                r.Headers.Add("X-Admin-Key", adminKey);
            }
        });

    private static string Guess(int i) => $"guess-{i}-{new string('k', 40)}";

    [Fact]
    public async Task Wrong_keys_from_one_address_are_limited_and_the_right_key_from_another_is_not()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        const string guesser = "192.0.2.10";
        const string operatorIp = "192.0.2.20";

        for (var i = 0; i < 3; i++)
        {
            (await PatchAsync(workspaceId, Guess(i), guesser)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        }
        var limited = await PatchAsync(workspaceId, Guess(3), guesser);
        limited.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        Assert.True(int.Parse(limited.Header("Retry-After")!, CultureInfo.InvariantCulture) >= 1);

        // The limited address gets the same 429 with the right key: otherwise the limit would confirm a guess.
        (await PatchAsync(workspaceId, TenantryApp.AdminKey, guesser)).AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");

        // The operator elsewhere is not held back by someone else's guesses, and has a budget of its own.
        Assert.Equal("probe", (await PatchAsync(workspaceId, TenantryApp.AdminKey, operatorIp)).AssertOk().GetProperty("description").GetString());
        (await PatchAsync(workspaceId, Guess(4), operatorIp)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await PatchAsync(workspaceId, TenantryApp.AdminKey, operatorIp)).AssertOk();
    }

    [Fact]
    public async Task Requests_without_a_key_are_refused_but_not_counted_as_guesses()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        const string address = "192.0.2.30";

        for (var i = 0; i < 6; i++)
        {
            (await PatchAsync(workspaceId, adminKey: null, address)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        }

        (await PatchAsync(workspaceId, TenantryApp.AdminKey, address)).AssertOk();
    }
}

/// <summary>An operator key short enough to guess: the server refuses to start and says why.</summary>
public sealed class ShortAdminKeyApp : TenantryApp
{
    public const string ShortKey = "only-31-characters-long-key-xyz";

    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:AdminApiKey"] = ShortKey;
}

public sealed class OperatorKeyLengthTests
{
    [Fact]
    public async Task A_key_shorter_than_32_characters_stops_the_server_at_start_up()
    {
        Assert.Equal(31, ShortAdminKeyApp.ShortKey.Length);
        var app = new ShortAdminKeyApp();
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(((IAsyncLifetime)app).InitializeAsync);
            var message = error.ToString();
            Assert.Contains("Tenantry:AdminApiKey", message, StringComparison.Ordinal);
            Assert.Contains("32", message, StringComparison.Ordinal);
            // The message names the setting, never the key.
            Assert.DoesNotContain(ShortAdminKeyApp.ShortKey, message, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public void The_test_servers_key_is_long_enough() => Assert.True(TenantryApp.AdminKey.Length >= 32);
}
