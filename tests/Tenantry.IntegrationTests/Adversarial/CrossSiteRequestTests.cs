using System.Net;
using System.Text;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Adversarial;

/// <summary>A deployment with a front end on another origin, a public origin behind its proxy, and development sessions on.</summary>
public sealed class CrossSiteApp : TenantryApp
{
    public const string FrontEnd = "https://app.example.com";
    public const string PublicOrigin = "https://id.example.com";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Wacht:AllowedOrigins:0"] = FrontEnd;
        settings["Tenantry:PublicOrigin"] = PublicOrigin;
        settings["Tenantry:Wacht:DevelopmentSessions"] = "true";
    }
}

/// <summary>
/// CSRF (CONTRACT 8): a state change authenticated by the <c>__session</c> cookie must come from the
/// service itself or an allowed origin, by <c>Origin</c> or, without it, <c>Sec-Fetch-Site</c>.
/// A cross-site form that a victim's browser submits with the cookie is refused with 403 in Wacht's
/// shape and changes nothing. Bearer credentials are not sent by browsers on their own and are unaffected.
/// </summary>
public sealed class CrossSiteRequestTests(CrossSiteApp app) : IClassFixture<CrossSiteApp>
{
    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    /// <summary>What the server's own pages send as their origin: the scheme, host and port the client reached.</summary>
    private string SelfOrigin => app.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>A victim who owns one workspace (the default) and is a member of another, in another organization.</summary>
    private async Task<(TestUser Victim, string Own, string Joined, string JoinedOrganization)> VictimAsync()
    {
        var victim = await _system.SignUpAsync();
        var own = await _system.CreateWorkspaceAsync(victim, "Own");
        var owner = await _system.SignUpAsync();
        var joined = await _system.CreateWorkspaceAsync(owner, "Joined");
        await app.AddOrganizationMemberAsync(joined, victim.UserId);
        return (victim, own, joined, await app.InstitutionOfAsync(joined));
    }

    private async Task<string[]> WorkspacesAsync(TestUser user) =>
        (await _system.ListMineAsync(user)).Select(i => i.GetProperty("workspaceBizId").GetString()!).Order().ToArray();

    private async Task<string?> DefaultAsync(TestUser user) =>
        (await _system.ListMineAsync(user)).Where(i => i.GetProperty("isDefault").GetBoolean()).Select(i => i.GetProperty("workspaceBizId").GetString()).SingleOrDefault();

    /// <summary>What a browser sends for an HTML form an attacker's page submits: urlencoded, the cookie, and the page's origin.</summary>
    private Task<WachtResponse> FormPostAsync(string path, TestUser user, string form = "", string? origin = null, string? fetchSite = null) =>
        _wacht.SendAsync(HttpMethod.Post, path, user.SessionCookie, new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"),
            configure: r =>
            {
                if (origin is not null)
                {
                    r.Headers.TryAddWithoutValidation("Origin", origin);
                }
                if (fetchSite is not null)
                {
                    r.Headers.Add("Sec-Fetch-Site", fetchSite);
                    r.Headers.Add("Sec-Fetch-Mode", "navigate");
                }
            });

    private static void AssertCrossSiteRefusal(WachtResponse response) =>
        Assert.Equal(Catalog.Text("en", "Error.CrossSiteRequest"), response.AssertError(HttpStatusCode.Forbidden));

    public static readonly TheoryData<string> ForeignOrigins = new()
    {
        "https://evil.example.net",
        // A sibling subdomain: same site, so SameSite=Lax sends the cookie.
        "https://evil.example.com",
        // The allowed front end's scheme or port changed is another origin.
        "http://app.example.com",
        "https://app.example.com:8443",
        // Sandboxed frames, file: pages and some redirects.
        "null",
    };

    [Theory]
    [MemberData(nameof(ForeignOrigins))]
    public async Task A_cross_site_form_cannot_make_the_victim_leave_a_workspace(string origin)
    {
        var (victim, own, joined, _) = await VictimAsync();

        AssertCrossSiteRefusal(await FormPostAsync($"/workspaces/{joined}/leave", victim, origin: origin));

        Assert.Equal(new[] { own, joined }.Order(), await WorkspacesAsync(victim));
    }

    [Theory]
    [MemberData(nameof(ForeignOrigins))]
    public async Task A_cross_site_form_cannot_leave_an_organization_or_switch_anything(string origin)
    {
        var (victim, own, joined, joinedOrganization) = await VictimAsync();

        AssertCrossSiteRefusal(await FormPostAsync($"/organizations/{joinedOrganization}/leave", victim, origin: origin));
        AssertCrossSiteRefusal(await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={joined}", origin: origin));
        AssertCrossSiteRefusal(await FormPostAsync("/session/switch-organization", victim, $"organization_id={joinedOrganization}", origin: origin));
        // An empty POST (no body at all) is a state change too: it clears the active workspace.
        AssertCrossSiteRefusal(await _wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", victim.SessionCookie,
            configure: r => r.Headers.TryAddWithoutValidation("Origin", origin)));

        Assert.Equal(new[] { own, joined }.Order(), await WorkspacesAsync(victim));
        Assert.Equal(own, await DefaultAsync(victim));
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task Without_origin_a_cross_site_or_same_site_fetch_is_refused(string fetchSite)
    {
        var (victim, own, joined, _) = await VictimAsync();

        AssertCrossSiteRefusal(await FormPostAsync($"/workspaces/{joined}/leave", victim, fetchSite: fetchSite));
        AssertCrossSiteRefusal(await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={joined}", fetchSite: fetchSite));

        Assert.Equal(new[] { own, joined }.Order(), await WorkspacesAsync(victim));
        Assert.Equal(own, await DefaultAsync(victim));
    }

    [Theory]
    [InlineData("same-origin")]
    [InlineData("none")]
    public async Task Without_origin_a_same_origin_or_user_initiated_fetch_passes(string fetchSite)
    {
        var (victim, _, joined, _) = await VictimAsync();

        (await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={joined}", fetchSite: fetchSite)).AssertOk();

        Assert.Equal(joined, await DefaultAsync(victim));
    }

    [Fact]
    public async Task Origin_decides_when_both_are_sent()
    {
        var (victim, own, joined, _) = await VictimAsync();

        AssertCrossSiteRefusal(await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={joined}", origin: "https://evil.example.net", fetchSite: "same-origin"));
        Assert.Equal(own, await DefaultAsync(victim));

        // The allowed front end is another site, and says so: still admitted by its origin.
        (await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={joined}", origin: CrossSiteApp.FrontEnd, fetchSite: "cross-site")).AssertOk();
        Assert.Equal(joined, await DefaultAsync(victim));
    }

    [Fact]
    public async Task The_service_itself_its_public_origin_and_the_allowed_front_end_pass()
    {
        var (victim, own, joined, _) = await VictimAsync();

        (await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={joined}", origin: SelfOrigin)).AssertOk();
        Assert.Equal(joined, await DefaultAsync(victim));

        (await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={own}", origin: CrossSiteApp.PublicOrigin)).AssertOk();
        Assert.Equal(own, await DefaultAsync(victim));

        var fromFrontEnd = await FormPostAsync($"/workspaces/{joined}/leave", victim, origin: CrossSiteApp.FrontEnd);
        fromFrontEnd.AssertOk();
        Assert.Equal(CrossSiteApp.FrontEnd, fromFrontEnd.Header("Access-Control-Allow-Origin"));
        Assert.Equal([own], await WorkspacesAsync(victim));
    }

    [Fact]
    public async Task Origins_are_compared_without_regard_to_case()
    {
        var (victim, _, joined, _) = await VictimAsync();

        (await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={joined}", origin: CrossSiteApp.PublicOrigin.ToUpperInvariant())).AssertOk();

        Assert.Equal(joined, await DefaultAsync(victim));
    }

    [Fact]
    public async Task A_client_that_is_no_browser_sends_neither_header_and_passes()
    {
        // Browsers send Origin (or at least Sec-Fetch-Site) on every cross-site POST; a request with neither comes from a
        // program holding the cookie itself, which gains nothing by forging a request it could send as it is.
        var (victim, _, joined, _) = await VictimAsync();

        (await FormPostAsync("/session/switch-workspace", victim, $"workspace_id={joined}")).AssertOk();

        Assert.Equal(joined, await DefaultAsync(victim));
    }

    [Fact]
    public async Task A_bearer_credential_is_unaffected_by_the_origin()
    {
        var (victim, own, joined, _) = await VictimAsync();

        // Cross-site pages cannot attach an Authorization header without a CORS preflight the server does not grant.
        var switched = await _wacht.SendAsync(HttpMethod.Post, "/session/switch-workspace", cookie: null, new StringContent($"workspace_id={joined}", Encoding.ASCII,
            "application/x-www-form-urlencoded"), configure: r =>
            {
                r.Headers.Add("Authorization", "Bearer " + victim.SessionCookie);
                r.Headers.Add("Origin", "https://evil.example.net");
                r.Headers.Add("Sec-Fetch-Site", "cross-site");
            });
        switched.AssertOk();
        Assert.Equal(joined, await DefaultAsync(victim));

        // A Bearer header next to the cookie is what authenticates, so the cookie's rule does not apply either.
        var left = await _wacht.SendAsync(HttpMethod.Post, $"/workspaces/{joined}/leave", victim.SessionCookie, configure: r =>
        {
            r.Headers.Add("Authorization", "Bearer " + victim.SessionCookie);
            r.Headers.Add("Origin", "https://evil.example.net");
        });
        left.AssertOk();
        Assert.Equal([own], await WorkspacesAsync(victim));
    }

    [Fact]
    public async Task The_development_session_parameter_is_no_ambient_credential_but_the_cookie_next_to_it_is()
    {
        var (victim, own, joined, _) = await VictimAsync();
        var query = "__dev_session__=" + Uri.EscapeDataString(victim.SessionCookie);

        // Only a page that was handed the token can send it: like a Bearer header, it is not attached by the browser.
        (await _wacht.SendAsync(HttpMethod.Post, $"/session/switch-workspace?workspace_id={joined}&{query}", cookie: null,
            configure: r => r.Headers.Add("Origin", "https://evil.example.net"))).AssertOk();
        Assert.Equal(joined, await DefaultAsync(victim));

        // The cookie authenticates first when both are present, and then the rule applies.
        AssertCrossSiteRefusal(await _wacht.SendAsync(HttpMethod.Post, $"/session/switch-workspace?workspace_id={own}&{query}", victim.SessionCookie,
            configure: r => r.Headers.Add("Origin", "https://evil.example.net")));
        Assert.Equal(joined, await DefaultAsync(victim));
    }

    [Fact]
    public async Task Reads_with_the_cookie_are_not_state_changes()
    {
        var (victim, _, _, _) = await VictimAsync();

        var read = await _wacht.SendAsync(HttpMethod.Get, "/me/workspace-memberships", victim.SessionCookie,
            configure: r => r.Headers.Add("Origin", "https://evil.example.net"));

        // Answered, but without CORS headers, so the foreign page cannot read it.
        Assert.Equal(2, read.AssertOk().GetArrayLength());
        Assert.Null(read.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_refusal_is_localized()
    {
        var (victim, _, joined, _) = await VictimAsync();

        var response = await _wacht.SendAsync(HttpMethod.Post, $"/workspaces/{joined}/leave", victim.SessionCookie, language: "ja",
            configure: r => r.Headers.Add("Origin", "https://evil.example.net"));

        Assert.Equal(Catalog.Text("ja", "Error.CrossSiteRequest"), response.AssertError(HttpStatusCode.Forbidden));
    }
}
