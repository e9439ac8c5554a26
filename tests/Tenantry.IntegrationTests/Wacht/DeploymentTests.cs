using System.Net;
using System.Text;
using System.Text.Json;
using Tenantry.Domain.Memberships;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>A server whose Wacht pages are configured (Tenantry:Wacht:Ui) behind a public origin.</summary>
public sealed class ConfiguredDeploymentApp : TenantryApp
{
    public const string PublicOrigin = "https://id.example.test";
    public const string FrontEnd = "https://app.example.test";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:PublicOrigin"] = PublicOrigin;
        settings["Tenantry:Wacht:DeploymentId"] = "dep_configured";
        settings["Tenantry:Wacht:AllowedOrigins:0"] = FrontEnd;
        settings["Tenantry:Wacht:Ui:AppName"] = "Acme Accounts";
        settings["Tenantry:Wacht:Ui:SignInPageUrl"] = "https://app.example.test/login";
        settings["Tenantry:Wacht:Ui:AfterSignOutPageUrl"] = "/console/goodbye";
    }
}

/// <summary>
/// <c>GET /deployment</c>, the first call of Wacht's <c>DeploymentProvider</c>: the Deployment object of wacht-types
/// (deployment.ts) built from Tenantry's configuration, answered before anyone signs in.
/// </summary>
public sealed class DeploymentTests(WachtApp app) : IClassFixture<WachtApp>
{
    private static readonly string[] DeploymentKeys =
    [
        "id", "created_at", "updated_at", "deleted_at", "maintenance_mode", "backend_host", "frontend_host", "mail_from_host", "publishable_key",
        "b2b_settings", "auth_settings", "restrictions", "social_connections", "ui_settings", "project_id", "mode", "disabled_features",
    ];

    private static readonly string[] B2BKeys =
    [
        "id", "created_at", "updated_at", "deleted_at", "deployment_id", "organizations_enabled", "workspaces_enabled", "ip_allowlist_per_org_enabled",
        "allow_users_to_create_orgs", "max_orgs_per_user", "max_allowed_org_members", "max_allowed_workspace_members", "allow_org_deletion",
        "allow_workspace_deletion", "custom_org_role_enabled", "limit_org_creation_per_user", "limit_workspace_creation_per_org",
        "org_creation_per_user_count", "workspaces_per_org_count", "custom_workspace_role_enabled", "default_workspace_creator_role_id",
        "default_workspace_member_role_id", "default_org_creator_role_id", "default_org_member_role_id", "workspace_permissions",
        "organization_permissions", "ip_allowlist_per_workspace_enabled", "enforce_mfa_per_org_enabled", "enforce_mfa_per_workspace_enabled",
        "enterprise_sso_enabled", "self_created_workspaces_per_user",
    ];

    private static readonly string[] AuthKeys =
    [
        "id", "created_at", "updated_at", "deleted_at", "email_address", "phone_number", "username", "first_name", "last_name", "password",
        "backup_code", "web3_wallet", "password_policy", "magic_link", "passkey", "auth_factors_enabled", "verification_policy",
        "second_factor_policy", "first_factor", "second_factor", "alternate_first_factors", "alternate_second_factors", "multi_session_support",
        "deployment_id",
    ];

    private static readonly string[] UiKeys =
    [
        "deployment_id", "app_name", "privacy_policy_url", "tos_page_url", "sign_in_page_url", "sign_up_page_url", "waitlist_page_url",
        "support_page_url", "after_logo_click_url", "user_profile_url", "organization_profile_url", "create_organization_url",
        "after_sign_out_one_page_url", "after_sign_out_all_page_url", "after_signup_redirect_url", "after_signin_redirect_url",
        "after_create_organization_redirect_url", "favicon_image_url", "default_user_profile_image_url", "default_organization_profile_image_url",
        "default_workspace_profile_image_url", "use_initials_for_user_profile_image", "use_initials_for_organization_profile_image",
        "logo_image_url", "signup_terms_statement", "signup_terms_statement_shown",
    ];

    private static string[] Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>Every value the SDK types as a string is one: only <c>deleted_at</c> (typed <c>null</c>) may be null.</summary>
    private static void AssertNoNullsButDeletedAt(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name != "deleted_at")
                    {
                        AssertNoNullsButDeletedAt(property.Value, $"{path}.{property.Name}");
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertNoNullsButDeletedAt(item, path + "[]");
                }
                break;
            case JsonValueKind.Null:
                Assert.Fail($"{path} is null");
                break;
        }
    }

    [Fact]
    public async Task The_deployment_says_what_tenantry_serves_before_anyone_signs_in()
    {
        var response = await app.Wacht().GetAsync("/deployment", cookie: null);

        var deployment = response.AssertOk(signedIn: false);
        Assert.Equal(DeploymentKeys, Keys(deployment));
        AssertNoNullsButDeletedAt(deployment);
        Assert.Equal(WachtApp.DeploymentId, deployment.GetProperty("id").GetString());
        Assert.Equal("production", deployment.GetProperty("mode").GetString());
        Assert.False(deployment.GetProperty("maintenance_mode").GetBoolean());
        // The publishable key names this backend, as Wacht's do (pk_live_ + base64 of the URL).
        var origin = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.Equal("pk_live_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(origin)), deployment.GetProperty("publishable_key").GetString());
        Assert.Equal(origin, deployment.GetProperty("backend_host").GetString());
        Assert.Equal(0, deployment.GetProperty("social_connections").GetArrayLength());
        Assert.Superset(new HashSet<string> { "ai_agents", "notifications", "passkeys", "phone_numbers", "social_sso", "magic_links", "waitlist" },
            deployment.GetProperty("disabled_features").EnumerateArray().Select(f => f.GetString()!).ToHashSet());

        var b2b = deployment.GetProperty("b2b_settings");
        Assert.Equal(B2BKeys, Keys(b2b));
        foreach (var on in new[] { "organizations_enabled", "workspaces_enabled", "ip_allowlist_per_org_enabled", "ip_allowlist_per_workspace_enabled",
            "enforce_mfa_per_org_enabled", "enforce_mfa_per_workspace_enabled", "custom_workspace_role_enabled", "limit_org_creation_per_user",
            "allow_users_to_create_orgs" })
        {
            Assert.True(b2b.GetProperty(on).GetBoolean(), on);
        }
        foreach (var off in new[] { "allow_org_deletion", "allow_workspace_deletion", "custom_org_role_enabled", "enterprise_sso_enabled" })
        {
            Assert.False(b2b.GetProperty(off).GetBoolean(), off);
        }
        Assert.Equal(1, b2b.GetProperty("self_created_workspaces_per_user").GetInt32());
        Assert.Equal(1, b2b.GetProperty("max_orgs_per_user").GetInt32());
        Assert.Equal(Permissions.All, b2b.GetProperty("workspace_permissions").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal(["organization:admin", "organization:manage"], b2b.GetProperty("organization_permissions").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal("orgrole_owner", b2b.GetProperty("default_org_creator_role_id").GetString());
        Assert.Equal("orgrole_member", b2b.GetProperty("default_org_member_role_id").GetString());

        var auth = deployment.GetProperty("auth_settings");
        Assert.Equal(AuthKeys, Keys(auth));
        var factors = auth.GetProperty("auth_factors_enabled");
        Assert.Equal(["email_password", "backup_code", "authenticator"],
            factors.EnumerateObject().Where(f => f.Value.GetBoolean()).Select(f => f.Name).ToArray());
        Assert.Equal("email_password", auth.GetProperty("first_factor").GetString());
        Assert.Equal("authenticator", auth.GetProperty("second_factor").GetString());
        Assert.Equal("optional", auth.GetProperty("second_factor_policy").GetString());
        Assert.True(auth.GetProperty("email_address").GetProperty("required").GetBoolean());
        Assert.True(auth.GetProperty("password").GetProperty("enabled").GetBoolean());
        foreach (var off in new[] { "phone_number", "username", "web3_wallet", "magic_link", "passkey" })
        {
            Assert.False(auth.GetProperty(off).GetProperty("enabled").GetBoolean(), off);
        }
        Assert.False(auth.GetProperty("multi_session_support").GetProperty("enabled").GetBoolean());

        Assert.Equal("public", deployment.GetProperty("restrictions").GetProperty("sign_up_mode").GetString());

        // The console's pages by default, on this service's origin (the SDK runs on the app's).
        var ui = deployment.GetProperty("ui_settings");
        Assert.Equal(UiKeys, Keys(ui));
        Assert.Equal("Tenantry", ui.GetProperty("app_name").GetString());
        Assert.Equal(origin + "/console/sign-in", ui.GetProperty("sign_in_page_url").GetString());
        Assert.Equal(origin + "/console/sign-up", ui.GetProperty("sign_up_page_url").GetString());
        Assert.Equal("", ui.GetProperty("after_sign_out_all_page_url").GetString());
    }

    [Fact]
    public async Task A_signed_in_browser_gets_its_session_with_the_deployment()
    {
        var user = await app.System.SignUpAsync();

        var response = await app.Wacht().GetAsync("/deployment", user.SessionCookie);

        response.AssertOk();
        Assert.Equal(user.SessionId, response.Session.GetProperty("id").GetString());
        // A credential that no longer works is no error here: the SDK loads the deployment before it knows.
        (await app.Wacht().GetAsync("/deployment", "sess_nope.nope")).AssertOk(signedIn: false);
    }

    [Fact]
    public async Task A_forwarded_scheme_that_is_no_scheme_is_no_failure()
    {
        var response = await app.Wacht().SendAsync(HttpMethod.Get, "/deployment", cookie: null, configure: r => r.Headers.Add("X-Forwarded-Proto", "*"));

        response.AssertOk(signedIn: false);
    }

    [Theory]
    [InlineData("/ai/projects")]
    [InlineData("/notifications")]
    [InlineData("/webhook/endpoints")]
    [InlineData("/api-auth/keys")]
    [InlineData("/waitlist/join")]
    [InlineData("/me/passkeys")]
    [InlineData("/me/phone-numbers")]
    [InlineData("/deployment/nothing")]
    public async Task Features_tenantry_does_not_serve_answer_wachts_404(string path)
    {
        var user = await app.System.SignUpAsync();

        (await app.Wacht().GetAsync(path, user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await app.Wacht().PostAsync(path, user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
    }
}

/// <summary>Configured pages and origins, and Wacht's staging mode (development sessions).</summary>
public sealed class ConfiguredDeploymentTests(ConfiguredDeploymentApp app) : IClassFixture<ConfiguredDeploymentApp>
{
    [Fact]
    public async Task The_ui_settings_come_from_the_configuration_on_the_public_origin()
    {
        var deployment = (await app.Wacht().GetAsync("/deployment", cookie: null)).AssertOk(signedIn: false);

        Assert.Equal("dep_configured", deployment.GetProperty("id").GetString());
        Assert.Equal(ConfiguredDeploymentApp.PublicOrigin, deployment.GetProperty("backend_host").GetString());
        Assert.Equal("app.example.test", deployment.GetProperty("frontend_host").GetString());
        var ui = deployment.GetProperty("ui_settings");
        Assert.Equal("Acme Accounts", ui.GetProperty("app_name").GetString());
        Assert.Equal("https://app.example.test/login", ui.GetProperty("sign_in_page_url").GetString());
        Assert.Equal(ConfiguredDeploymentApp.PublicOrigin + "/console/sign-up", ui.GetProperty("sign_up_page_url").GetString());
        Assert.Equal(ConfiguredDeploymentApp.PublicOrigin + "/console/goodbye", ui.GetProperty("after_sign_out_one_page_url").GetString());
        Assert.Equal(ConfiguredDeploymentApp.PublicOrigin + "/console/goodbye", ui.GetProperty("after_sign_out_all_page_url").GetString());
    }
}

public sealed class StagingDeploymentTests(DevelopmentSessionApp app) : IClassFixture<DevelopmentSessionApp>
{
    [Fact]
    public async Task Development_sessions_make_a_staging_deployment_that_reads_the_token_in_the_query()
    {
        // The provider's first call in staging mode: an empty __dev_session__ before anyone signed in.
        var first = await app.Wacht().GetAsync("/deployment?__dev_session__=", cookie: null);
        var deployment = first.AssertOk(signedIn: false);
        Assert.Equal("staging", deployment.GetProperty("mode").GetString());
        Assert.StartsWith("pk_test_", deployment.GetProperty("publishable_key").GetString(), StringComparison.Ordinal);
        Assert.Null(first.Header("X-Development-Session"));

        var user = await app.System.SignUpAsync();
        var signedIn = await app.Wacht().GetAsync($"/deployment?__dev_session__={Uri.EscapeDataString(user.SessionCookie)}", cookie: null);
        signedIn.AssertOk();
        Assert.Equal(user.SessionId, signedIn.Session.GetProperty("id").GetString());
        Assert.Equal(user.SessionCookie, signedIn.Header("X-Development-Session"));
    }
}

/// <summary><c>GET /deployment/invitations/validate?token=</c>: the sign-up form opened from an invitation link fills in the address.</summary>
public sealed class InvitationValidationTests(MailApp app) : IClassFixture<MailApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId, string InvitationId, string Email, string Token)> InvitedAsync()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Invites");
        var email = SystemApi.NewEmail("invitee");
        var invitationId = await _api.InvitedAsync(owner, workspaceId, email, await _api.RoleIdAsync(owner, workspaceId, "Member"));
        return (owner, workspaceId, invitationId, email, (await app.Smtp.InvitationEmailAsync(email)).InvitationToken());
    }

    private async Task<JsonElement> ValidateAsync(string token) =>
        (await app.Wacht().GetAsync($"/deployment/invitations/validate?token={Uri.EscapeDataString(token)}", cookie: null)).AssertOk(signedIn: false);

    private static void AssertInvalid(JsonElement data)
    {
        Assert.False(data.GetProperty("valid").GetBoolean());
        Assert.Equal("INVITATION_INVALID", data.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(data.GetProperty("message").GetString()));
        Assert.Equal("", data.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_pending_invitations_token_is_valid_and_names_the_invited_address()
    {
        var (_, _, _, email, token) = await InvitedAsync();

        var data = await ValidateAsync(token);

        Assert.Equal(["valid", "first_name", "last_name", "email", "message", "error_code"], data.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(data.GetProperty("valid").GetBoolean());
        Assert.Equal(email, data.GetProperty("email").GetString());
        Assert.Equal("", data.GetProperty("first_name").GetString());
        Assert.Equal("", data.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task A_replaced_withdrawn_or_made_up_token_is_not_valid()
    {
        var (owner, workspaceId, invitationId, email, token) = await InvitedAsync();
        (await _api.PostAsync($"/web/v1/workspaces/{workspaceId}/invitations/{invitationId}/resend", token: owner.AccessToken)).AssertOk();
        var second = (await app.Smtp.InvitationEmailAsync(email, 2)).InvitationToken();

        AssertInvalid(await ValidateAsync(token));
        Assert.True((await ValidateAsync(second)).GetProperty("valid").GetBoolean());

        (await _api.PostAsync($"/web/v1/workspaces/{workspaceId}/invitations/{invitationId}/revoke", token: owner.AccessToken)).AssertOk();
        AssertInvalid(await ValidateAsync(second));
        AssertInvalid(await ValidateAsync("made-up"));
        AssertInvalid(await ValidateAsync(new string('x', 500)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?token=")]
    [InlineData("?token=%20")]
    [InlineData("?token=a&token=b")]
    public async Task A_missing_or_repeated_token_is_a_bad_request(string query)
    {
        (await app.Wacht().GetAsync("/deployment/invitations/validate" + query, cookie: null)).AssertError(HttpStatusCode.BadRequest);
    }
}
