using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.SystemApi.Gateway;

namespace Tenantry.UnitTests.Server;

/// <summary>A portal that could never admit anyone, or an origin no browser sends, stops the server at start-up.</summary>
public sealed class PortalConfigurationTests
{
    private static TenantryOptions With(string? code, params string[] origins) => new()
    {
        Portals = { ["console"] = new PortalOptions { AccessCode = code, AllowedOrigins = [.. origins] } },
    };

    [Theory]
    [InlineData("https://console.example.com")]
    [InlineData("http://localhost:5173")]
    [InlineData("HTTPS://Console.Example.com")]
    public void Origins_as_browsers_send_them_are_accepted(string origin) => PortalGate.CheckConfiguration(With("code", origin));

    [Theory]
    [InlineData("https://console.example.com/")]
    [InlineData("https://console.example.com/app")]
    [InlineData("console.example.com")]
    [InlineData("ftp://console.example.com")]
    [InlineData("*")]
    public void Anything_else_is_refused_naming_the_setting(string origin)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PortalGate.CheckConfiguration(With("code", origin)));
        Assert.Contains("Tenantry:Portals:console:AllowedOrigins", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_portal_without_a_code_is_refused() =>
        Assert.Contains("AccessCode", Assert.Throws<InvalidOperationException>(() => PortalGate.CheckConfiguration(With(null, "https://a.example.com"))).Message,
            StringComparison.Ordinal);
}
