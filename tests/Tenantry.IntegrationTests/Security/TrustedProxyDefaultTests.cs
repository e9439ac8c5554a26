using Microsoft.AspNetCore.Hosting;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>A server in an environment, with the trust list the test settings give every server removed unless <see cref="TrustLoopback"/>.</summary>
public abstract class ProxyDefaultsApp(string environment, bool trustLoopback) : TenantryApp
{
    public bool TrustLoopback => trustLoopback;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        if (!trustLoopback)
        {
            foreach (var key in settings.Keys.Where(k => k.StartsWith("Tenantry:Gateway:TrustForwardedFrom", StringComparison.Ordinal)).ToList())
            {
                settings.Remove(key);
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(environment);
    }
}

/// <summary>Production as shipped: nobody told the server which proxy to trust.</summary>
public sealed class ProductionWithoutProxiesApp() : ProxyDefaultsApp("Production", trustLoopback: false);

/// <summary>Production behind a proxy on the same host, configured as docs/DEPLOYMENT.md says.</summary>
public sealed class ProductionWithLocalProxyApp() : ProxyDefaultsApp("Production", trustLoopback: true);

/// <summary>A developer's machine: the Cloudflare headers are simulated from loopback without any setting (CONTRACT 2).</summary>
public sealed class DevelopmentWithoutProxiesApp() : ProxyDefaultsApp("Development", trustLoopback: false);

/// <summary>
/// CONTRACT 8, trusted proxies: outside Development no forwarding header is trusted unless
/// <c>Tenantry:Gateway:TrustForwardedFrom</c> lists the peer, and the server says so at start-up.
/// Otherwise a client behind a same-host proxy that passes <c>CF-Connecting-IP</c> through could
/// pick its own address and walk past allow-lists and per-IP limits.
/// </summary>
public static class ProxyProbe
{
    public const string ClaimedIp = "203.0.113.9";

    public const string Warning = "Tenantry:Gateway:TrustForwardedFrom";

    /// <summary>Whether a workspace allow-listed for the claimed address is enterable for a request that claims it from loopback.</summary>
    public static async Task<bool> ClaimedAddressIsBelievedAsync(TenantryApp app)
    {
        var api = app.System;
        var owner = await api.SignUpAsync();
        var workspaceId = await api.CreateWorkspaceAsync(owner);
        // Set by the operator: the owner may not set a policy that shuts out the address they call from.
        (await api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } })).AssertOk();
        return Assert.Single(await api.ListMineAsync(owner, clientIp: ClaimedIp)).GetProperty("enterable").GetBoolean();
    }

    /// <summary>The client IP recorded with a session signed up while claiming <see cref="ClaimedIp"/>.</summary>
    public static async Task<string?> RecordedSessionIpAsync(TenantryApp app)
    {
        var response = await app.System.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-up",
            new { email = SystemApi.NewEmail(), password = SystemApi.Password, displayName = "P" }, clientIp: ClaimedIp);
        var sessionId = response.AssertOk().GetProperty("sessionId").GetString();
        return await app.WithDbAsync(db => Task.FromResult(db.Sessions.Where(s => s.Id == sessionId).Select(s => s.ClientIp).Single()));
    }

    public static bool Warned(TenantryApp app) =>
        app.ServerLog.Entries.Any(e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains(Warning, StringComparison.Ordinal));
}

public sealed class ProductionWithoutProxiesTests(ProductionWithoutProxiesApp app) : IClassFixture<ProductionWithoutProxiesApp>
{
    [Fact]
    public async Task Cf_connecting_ip_from_loopback_is_ignored()
    {
        Assert.False(await ProxyProbe.ClaimedAddressIsBelievedAsync(app));
        Assert.Equal("127.0.0.1", await ProxyProbe.RecordedSessionIpAsync(app));
    }

    [Fact]
    public async Task X_forwarded_proto_from_loopback_is_ignored()
    {
        // Production sends HSTS over HTTPS only; a forwarded "https" from an untrusted peer does not make plain HTTP secure.
        Assert.Null((await HstsProbe.SendAsync(app, forwardedProto: "https")).Header("Strict-Transport-Security"));
    }

    [Fact]
    public void The_server_warned_at_start_up_that_it_trusts_no_proxy() =>
        Assert.True(ProxyProbe.Warned(app), "No warning naming Tenantry:Gateway:TrustForwardedFrom in:\n" + string.Join("\n", app.ServerLog.Entries));
}

public sealed class ProductionWithLocalProxyTests(ProductionWithLocalProxyApp app) : IClassFixture<ProductionWithLocalProxyApp>
{
    [Fact]
    public async Task A_listed_proxy_is_believed_and_nothing_is_warned()
    {
        Assert.True(await ProxyProbe.ClaimedAddressIsBelievedAsync(app));
        Assert.Equal(ProxyProbe.ClaimedIp, await ProxyProbe.RecordedSessionIpAsync(app));
        Assert.Equal("max-age=31536000", (await HstsProbe.SendAsync(app, forwardedProto: "https")).Header("Strict-Transport-Security"));
        Assert.False(ProxyProbe.Warned(app));
    }
}

public sealed class DevelopmentWithoutProxiesTests(DevelopmentWithoutProxiesApp app) : IClassFixture<DevelopmentWithoutProxiesApp>
{
    [Fact]
    public async Task Development_trusts_loopback_without_a_setting()
    {
        Assert.True(await ProxyProbe.ClaimedAddressIsBelievedAsync(app));
        Assert.Equal(ProxyProbe.ClaimedIp, await ProxyProbe.RecordedSessionIpAsync(app));
        Assert.False(ProxyProbe.Warned(app));
    }
}
