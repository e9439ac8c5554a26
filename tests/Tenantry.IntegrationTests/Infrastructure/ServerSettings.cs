namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>The configuration every server under test gets (in-process or its own process), on top of its database's.</summary>
public static class ServerSettings
{
    public static Dictionary<string, string?> For(TestDatabase database, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Tenantry:PortalAccessCodes:0"] = TenantryApp.PortalCode,
            ["Tenantry:AdminApiKey"] = TenantryApp.AdminKey,
            // The tests simulate Cloudflare from loopback (CONTRACT 2); outside Development that trust must be configured.
            ["Tenantry:Gateway:TrustForwardedFrom:0"] = "127.0.0.0/8",
            ["Tenantry:Gateway:TrustForwardedFrom:1"] = "::1",
            // The tests sign up many users from one address; the limits have their own tests.
            ["Tenantry:Auth:AuthRequestsPerIp"] = "100000",
            ["Tenantry:Auth:SignInAttemptsPerAccount"] = "100000",
            ["Tenantry:Auth:MfaRequestsPerIp"] = "100000",
            ["Tenantry:Auth:MfaAttemptsPerAccount"] = "100000",
            ["Tenantry:Auth:InvitationsPerIp"] = "100000",
            ["Tenantry:Auth:InvitationsPerAccount"] = "100000",
            ["Tenantry:Auth:HandshakesPerIp"] = "100000",
            ["Tenantry:Auth:VerificationResendsPerAccount"] = "100000",
            ["Tenantry:Auth:VerificationResendsPerIp"] = "100000",
            ["Tenantry:Auth:VerificationAttemptsPerIp"] = "100000",
            // Thousands of sign-ups per run: the same PBKDF2 at 1,000 iterations instead of 100,000
            // (PasswordsTests check the default and the upgrade of weaker hashes).
            ["Tenantry:Auth:PasswordHashIterations"] = "1000",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }
}
