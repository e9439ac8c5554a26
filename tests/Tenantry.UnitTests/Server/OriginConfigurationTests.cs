using Tenantry.Server.Configuration;
using Tenantry.Server.Security;

namespace Tenantry.UnitTests.Server;

/// <summary>
/// The origins cookie-authenticated changes may come from: a public origin or Wacht front end that no
/// browser would ever send as <c>Origin</c> would refuse every legitimate request, so it stops the server.
/// </summary>
public sealed class OriginConfigurationTests
{
    [Theory]
    [InlineData("https://id.example.com")]
    [InlineData("http://localhost:5173")]
    [InlineData("https://id.example.com:8443")]
    public void Origins_as_browsers_send_them_are_accepted(string origin)
    {
        TrustedOrigins.CheckConfiguration(new TenantryOptions { PublicOrigin = origin });
        TrustedOrigins.CheckConfiguration(new TenantryOptions { Wacht = { AllowedOrigins = [origin] } });
    }

    [Theory]
    [InlineData("https://id.example.com/")]
    [InlineData("https://id.example.com/app")]
    [InlineData("https://id.example.com:443")]
    [InlineData("id.example.com")]
    [InlineData("*")]
    public void Anything_else_is_refused_naming_the_setting(string origin)
    {
        Assert.Contains("Tenantry:PublicOrigin",
            Assert.Throws<InvalidOperationException>(() => TrustedOrigins.CheckConfiguration(new TenantryOptions { PublicOrigin = origin })).Message,
            StringComparison.Ordinal);
        Assert.Contains("Tenantry:Wacht:AllowedOrigins",
            Assert.Throws<InvalidOperationException>(() => TrustedOrigins.CheckConfiguration(new TenantryOptions { Wacht = { AllowedOrigins = [origin] } })).Message,
            StringComparison.Ordinal);
    }
}
