using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>A server in Wacht's cross-site development mode, with a front end on another origin.</summary>
public sealed class DevelopmentSessionApp : TenantryApp
{
    public const string FrontEnd = "https://app.example.test";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Wacht:DevelopmentSessions"] = "true";
        settings["Tenantry:Wacht:AllowedOrigins:0"] = FrontEnd;
    }
}

/// <summary>
/// Development mode (CONTRACT 6): the session token travels in <c>__dev_session__</c> and comes back in
/// <c>X-Development-Session</c>, which CORS exposes to the configured front end.
/// </summary>
public sealed class DevelopmentSessionTests(DevelopmentSessionApp app) : IClassFixture<DevelopmentSessionApp>
{
    private const string Header = "X-Development-Session";

    [Fact]
    public async Task The_token_in_the_query_authenticates_and_comes_back_in_the_header()
    {
        var user = await app.System.SignUpAsync();

        var response = await app.Wacht().GetAsync($"/session?__dev_session__={Uri.EscapeDataString(user.SessionCookie)}", cookie: null);

        Assert.Equal(user.SessionId, response.AssertOk().GetProperty("id").GetString());
        Assert.Equal(user.SessionCookie, response.Header(Header));
        // The SDK appends the parameter to every call, mutations included.
        var switched = await app.Wacht().PostAsync($"/session/switch-workspace?workspace_id=&__dev_session__={Uri.EscapeDataString(user.SessionCookie)}", cookie: null);
        switched.AssertOk();
        Assert.Equal(user.SessionCookie, switched.Header(Header));
    }

    [Fact]
    public async Task Sign_in_hands_the_token_to_a_front_end_that_cannot_read_the_cookie()
    {
        var user = await app.System.SignUpAsync();
        var signIn = await app.System.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password });
        signIn.AssertOk();
        var token = signIn.Header(Header);
        Assert.NotNull(token);
        (await app.Wacht().GetAsync($"/session?__dev_session__={Uri.EscapeDataString(token)}", cookie: null)).AssertOk();
    }

    [Fact]
    public async Task Wachts_own_sign_in_form_hands_the_new_token_over_even_when_an_old_one_is_sent()
    {
        var user = await app.System.SignUpAsync();
        // The SDK in staging mode appends its stored token (here: one already signed out) to every call, sign-in included.
        (await app.System.PostAsync("/web/v1/auth/sign-out", token: user.AccessToken)).AssertOk();

        var signIn = await app.Wacht().SendAsync(HttpMethod.Post, $"/auth/signin?__dev_session__={Uri.EscapeDataString(user.SessionCookie)}", null,
            WachtForms.Form(("email", user.Email), ("password", user.Password)));

        var session = signIn.AssertOk();
        var token = signIn.Header(Header);
        Assert.NotNull(token);
        Assert.NotEqual(user.SessionCookie, token);
        Assert.Equal(session.GetProperty("id").GetString(),
            (await app.Wacht().GetAsync($"/session?__dev_session__={Uri.EscapeDataString(token)}", cookie: null)).AssertOk().GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_bad_token_in_the_query_is_a_401_without_the_header()
    {
        var response = await app.Wacht().GetAsync("/me/workspace-memberships?__dev_session__=sess_nope.nope", cookie: null);
        response.AssertError(HttpStatusCode.Unauthorized);
        Assert.Null(response.Header(Header));
        (await app.Wacht().GetAsync("/me/workspace-memberships?__dev_session__=", cookie: null)).AssertError(HttpStatusCode.Unauthorized);
        // The session itself answers a browser without a working token (after a sign-out the SDK keeps its token): no sign-in, no header.
        var session = await app.Wacht().GetAsync("/session?__dev_session__=sess_nope.nope", cookie: null);
        session.AssertOk(signedIn: false);
        Assert.Null(session.Header(Header));
    }

    [Fact]
    public async Task Cors_admits_the_configured_front_end_and_exposes_the_header()
    {
        var user = await app.System.SignUpAsync();

        var response = await app.Wacht().SendAsync(HttpMethod.Get, $"/me/workspace-memberships?__dev_session__={Uri.EscapeDataString(user.SessionCookie)}", cookie: null,
            configure: r => r.Headers.Add("Origin", DevelopmentSessionApp.FrontEnd));

        response.AssertOk();
        Assert.Equal(DevelopmentSessionApp.FrontEnd, response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", response.Header("Access-Control-Allow-Credentials"));
        Assert.Contains(Header, response.Header("Access-Control-Expose-Headers") ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_preflight_of_a_mutation_is_answered_for_the_front_end_only()
    {
        var http = app.CreateHttpClient();
        HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/session/switch-workspace?workspace_id=ws_x");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return request;
        }

        var allowed = await http.SendAsync(Preflight(DevelopmentSessionApp.FrontEnd));
        Assert.True(allowed.IsSuccessStatusCode, allowed.StatusCode.ToString());
        Assert.Equal(DevelopmentSessionApp.FrontEnd, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);

        var other = await http.SendAsync(Preflight("https://evil.example.test"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

/// <summary>The default server: development mode off, no cross-site origins.</summary>
public sealed class DevelopmentSessionOffTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    [Fact]
    public async Task The_query_token_is_ignored_and_nothing_is_echoed()
    {
        var user = await app.System.SignUpAsync();

        var response = await app.Wacht().SendAsync(HttpMethod.Get, $"/me/workspace-memberships?__dev_session__={Uri.EscapeDataString(user.SessionCookie)}",
            cookie: null, configure: r => r.Headers.Add("Origin", DevelopmentSessionApp.FrontEnd));

        response.AssertError(HttpStatusCode.Unauthorized);
        Assert.Null(response.Header("X-Development-Session"));
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
        // The session, which answers without a sign-in, does not take the token either.
        var session = await app.Wacht().GetAsync($"/session?__dev_session__={Uri.EscapeDataString(user.SessionCookie)}", cookie: null);
        session.AssertOk(signedIn: false);
        Assert.Null(session.Header("X-Development-Session"));
        var signIn = await app.System.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password });
        signIn.AssertOk();
        Assert.Null(signIn.Header("X-Development-Session"));
        // The cookie still works, same-origin.
        (await app.Wacht().GetAsync("/session", user.SessionCookie)).AssertOk();
    }
}
