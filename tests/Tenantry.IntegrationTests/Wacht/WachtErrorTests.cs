using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>Failures on Wacht paths are in Wacht's shape, never the SYSTEM envelope, and the SYSTEM paths never answer in Wacht's.</summary>
public sealed class WachtErrorTests(WachtApp app) : IClassFixture<WachtApp>
{
    public static readonly TheoryData<string, string> Endpoints = new()
    {
        { "GET", "/me/workspace-memberships" },
        { "GET", "/me/organization-memberships" },
        { "GET", "/me" },
        { "POST", "/me" },
        { "GET", "/me/signins" },
        { "POST", "/me/signins/sess_x/signout" },
        { "GET", "/session/token" },
        { "POST", "/session/sign-out" },
        { "POST", "/session/switch-sign-in?sign_in_id=sess_x" },
        { "POST", "/session/switch-workspace?workspace_id=ws_x" },
        { "POST", "/session/switch-organization?organization_id=inst_x" },
        { "POST", "/workspaces/ws_x/leave" },
        { "POST", "/organizations/inst_x/leave" },
    };

    private readonly WachtApi _wacht = app.Wacht();

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task No_cookie_is_a_401_in_wacht_shape(string method, string path)
    {
        var message = (await _wacht.SendAsync(new HttpMethod(method), path, cookie: null)).AssertError(HttpStatusCode.Unauthorized);
        Assert.Equal(Catalog.Text("en", "Error.InvalidToken"), message);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_bad_cookie_is_a_401_in_wacht_shape(string method, string path)
    {
        var user = await app.System.SignUpAsync();
        var tampered = user.SessionCookie[..^2] + (user.SessionCookie.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");
        foreach (var cookie in new[] { "garbage", tampered, $"sess_{new string('0', 26)}.secret", "" })
        {
            (await _wacht.SendAsync(new HttpMethod(method), path, cookie)).AssertError(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_signed_out_session_cookie_stops_working()
    {
        var user = await app.System.SignUpAsync();
        (await _wacht.GetAsync("/session", user.SessionCookie)).AssertOk();

        (await app.System.PostAsync("/web/v1/auth/sign-out", token: user.AccessToken)).AssertOk();

        // The session still answers, without a sign-in (what Wacht's SDK reads after a sign-out); nothing else does.
        (await _wacht.GetAsync("/session", user.SessionCookie)).AssertOk(signedIn: false);
        (await _wacht.GetAsync("/me/workspace-memberships", user.SessionCookie)).AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unauthorized_messages_are_localized()
    {
        var response = await _wacht.SendAsync(HttpMethod.Get, "/me", cookie: null, language: "zh-Hant");
        Assert.Equal(Catalog.Text("zh-Hant", "Error.InvalidToken"), response.AssertError(HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task Unknown_paths_and_methods_answer_in_wacht_shape()
    {
        var user = await app.System.SignUpAsync();
        (await _wacht.GetAsync("/me/nothing-here", user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await _wacht.SendAsync(HttpMethod.Delete, "/session", user.SessionCookie)).AssertError(HttpStatusCode.MethodNotAllowed);
        (await _wacht.SendAsync(HttpMethod.Get, "/session/switch-workspace", user.SessionCookie)).AssertError(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task The_system_dialect_keeps_its_envelope()
    {
        var user = await app.System.SignUpAsync();
        // The session cookie is no SYSTEM credential, and a SYSTEM error is never in Wacht's shape.
        var response = await app.System.SendAsync(HttpMethod.Get, "/web/v1/system/workspaces/mine", configure: r => r.Headers.Add("Cookie", $"__session={user.SessionCookie}"));
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }
}

/// <summary>A server that allows three Wacht requests a minute per client IP.</summary>
public sealed class TightWachtLimitApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Wacht:RequestsPerMinutePerIp"] = "3";
}

public sealed class WachtRateLimitTests(TightWachtLimitApp app) : IClassFixture<TightWachtLimitApp>
{
    [Fact]
    public async Task Too_many_requests_are_a_429_in_wacht_shape_with_retry_after()
    {
        var user = await app.System.SignUpAsync();
        var wacht = app.Wacht();
        const string ip = "192.0.2.44";

        var answers = new List<WachtResponse>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await wacht.GetAsync("/session", user.SessionCookie, clientIp: ip));
        }

        Assert.All(answers.Take(3), a => a.AssertOk());
        var limited = answers[3];
        Assert.Equal(Catalog.Text("en", "Error.RateLimited"), limited.AssertError(HttpStatusCode.TooManyRequests));
        Assert.True(int.Parse(limited.Header("Retry-After")!, CultureInfo.InvariantCulture) >= 1);
        // Per client IP: another address is not affected.
        (await wacht.GetAsync("/session", user.SessionCookie, clientIp: "192.0.2.45")).AssertOk();
    }
}

/// <summary>A server with a route that fails after the Wacht pipeline, to see the 500 it answers.</summary>
public sealed class FailingWachtApp : TenantryApp
{
    public const string FailingPath = "/me/__fail";

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStartupFilter, FailingRoute>();

    // Appended after the application's pipeline: runs for a request no endpoint answered, inside the exception handler.
    private sealed class FailingRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            next(builder);
            builder.Run(http => http.Request.Path == FailingPath
                ? throw new InvalidOperationException("boom with a secret inside")
                : Task.CompletedTask);
        };
    }
}

public sealed class WachtInternalErrorTests(FailingWachtApp app) : IClassFixture<FailingWachtApp>
{
    [Fact]
    public async Task An_unexpected_failure_is_a_500_in_wacht_shape_without_details()
    {
        var response = await app.Wacht().GetAsync(FailingWachtApp.FailingPath, cookie: null);

        Assert.Equal(Catalog.Text("en", "Error.Internal"), response.AssertError(HttpStatusCode.InternalServerError));
        Assert.DoesNotContain("boom", response.Body, StringComparison.Ordinal);
    }
}
