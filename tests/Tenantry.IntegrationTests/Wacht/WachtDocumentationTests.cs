using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>The OpenAPI document describes the Wacht endpoints with the names they have on the wire.</summary>
public sealed class WachtDocumentationTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    [Fact]
    public async Task The_openapi_document_lists_the_wacht_endpoints_in_snake_case()
    {
        var document = JsonDocument.Parse(await app.CreateHttpClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "/me/workspace-memberships", "/me/organization-memberships", "/session", "/session/switch-workspace", "/session/switch-organization",
            "/workspaces/{id}/leave", "/organizations/{id}/leave",
            "/auth/signin", "/auth/signup", "/auth/identify", "/auth/prepare-verification", "/auth/attempt-verification",
            "/me/authenticator", "/me/backup-codes", "/me/email-addresses", "/me/update-password",
            "/auth/forgot-password", "/auth/reset-password", "/captcha/challenge", "/captcha/redeem",
        }, paths);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var membership = schemas.GetProperty("WachtWorkspaceMembership").GetProperty("properties");
        Assert.True(membership.TryGetProperty("eligibility_restriction", out _), membership.GetRawText());
        Assert.True(schemas.GetProperty("WachtWorkspace").GetProperty("properties").TryGetProperty("enforce_2fa", out _));
        Assert.True(schemas.GetProperty("WachtSession").GetProperty("properties").TryGetProperty("active_signin", out _));
        Assert.True(schemas.GetProperty("WachtSigninAttempt").GetProperty("properties").TryGetProperty("available_2fa_methods", out _));
    }
}
