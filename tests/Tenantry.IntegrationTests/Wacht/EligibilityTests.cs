using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// Every <c>eligibility_restriction</c> type produced by a real policy, and the same decision in
/// SYSTEM's <c>enterable</c>/<c>defaultEligible</c> for the same request (same client IP). The
/// client IP is <c>CF-Connecting-IP</c> from the trusted (loopback) test proxy. Sessions are never
/// MFA-verified yet, so enforced MFA always restricts.
/// </summary>
public sealed class EligibilityTests(WachtApp app) : IClassFixture<WachtApp>
{
    private const string Outside = "198.51.100.7";
    private const string Inside = "203.0.113.9";
    private static readonly string[] s_allowlist = ["203.0.113.0/24"];

    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private async Task<(TestUser Owner, string WorkspaceId, string InstitutionId)> WorkspaceAsync()
    {
        var owner = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner);
        return (owner, workspaceId, await app.InstitutionOfAsync(workspaceId));
    }

    /// <summary>The Wacht restriction and the SYSTEM flags of the caller's one membership, for one client IP and language.</summary>
    private async Task<(string Type, string? Message, bool Enterable, bool DefaultEligible)> DecisionAsync(TestUser user, string clientIp = Outside, string? language = null)
    {
        var item = Assert.Single(await _wacht.WorkspaceMembershipsAsync(user, clientIp: clientIp, language: language));
        var restriction = item.GetProperty("eligibility_restriction");
        var message = restriction.GetProperty("message");
        var systemItem = Assert.Single(await _system.ListMineAsync(user, clientIp));
        // Typed string by the seed and the SDK alike: empty when nothing restricts, never null.
        Assert.Equal(JsonValueKind.String, message.ValueKind);
        return (restriction.GetProperty("type").GetString()!, message.GetString(),
            systemItem.GetProperty("enterable").GetBoolean(), systemItem.GetProperty("defaultEligible").GetBoolean());
    }

    private Task PatchWorkspaceAsync(string workspaceId, object body) => AssertOkAsync(_system.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", body));

    private Task PatchInstitutionAsync(string institutionId, object body) => AssertOkAsync(_system.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", body));

    private static async Task AssertOkAsync(Task<ApiResponse> response) => (await response).AssertOk();

    [Fact]
    public async Task Nothing_restricts_a_member_without_policies()
    {
        var (owner, _, _) = await WorkspaceAsync();
        Assert.Equal(("none", "", true, true), await DecisionAsync(owner));
    }

    [Fact]
    public async Task The_workspace_ip_allow_list_restricts_by_the_forwarded_client_ip()
    {
        var (owner, workspaceId, _) = await WorkspaceAsync();
        await PatchWorkspaceAsync(workspaceId, new { policyConfig = new { ipAllowlist = s_allowlist } });

        Assert.Equal(("ip_not_allowed", Catalog.Text("en", "Eligibility.IpNotAllowed"), false, true), await DecisionAsync(owner, Outside));
        Assert.Equal(("none", "", true, true), await DecisionAsync(owner, Inside));
    }

    [Fact]
    public async Task The_organization_ip_allow_list_applies_to_its_workspaces_and_its_membership()
    {
        var (owner, _, institutionId) = await WorkspaceAsync();
        await PatchInstitutionAsync(institutionId, new { ipAllowlist = s_allowlist });

        Assert.Equal(("ip_not_allowed", Catalog.Text("en", "Eligibility.IpNotAllowed"), false, true), await DecisionAsync(owner, Outside));
        Assert.Equal(("none", "", true, true), await DecisionAsync(owner, Inside));
        var organization = Assert.Single(await _wacht.OrganizationMembershipsAsync(owner, Outside));
        Assert.Equal("ip_not_allowed", organization.GetProperty("eligibility_restriction").GetProperty("type").GetString());
        Assert.Equal(Catalog.Text("en", "Eligibility.Organization.IpNotAllowed"), organization.GetProperty("eligibility_restriction").GetProperty("message").GetString());
        var japanese = Assert.Single(await _wacht.OrganizationMembershipsAsync(owner, Outside, "ja"));
        Assert.Equal(Catalog.Text("ja", "Eligibility.Organization.IpNotAllowed"), japanese.GetProperty("eligibility_restriction").GetProperty("message").GetString());
        Assert.Equal("none", Assert.Single(await _wacht.OrganizationMembershipsAsync(owner, Inside)).GetProperty("eligibility_restriction").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Enforced_mfa_of_the_organization_requires_a_second_factor()
    {
        var (owner, _, institutionId) = await WorkspaceAsync();
        await PatchInstitutionAsync(institutionId, new { enforceMfa = true });

        Assert.Equal(("mfa_required", Catalog.Text("en", "Eligibility.MfaRequired"), false, true), await DecisionAsync(owner));
        var organization = Assert.Single(await _wacht.OrganizationMembershipsAsync(owner));
        Assert.Equal("mfa_required", organization.GetProperty("eligibility_restriction").GetProperty("type").GetString());
        Assert.Equal(Catalog.Text("en", "Eligibility.Organization.MfaRequired"), organization.GetProperty("eligibility_restriction").GetProperty("message").GetString());
        Assert.True(organization.GetProperty("organization").GetProperty("enforce_mfa").GetBoolean());
    }

    [Fact]
    public async Task Enforced_mfa_of_the_workspace_requires_a_second_factor()
    {
        var (owner, workspaceId, _) = await WorkspaceAsync();
        await PatchWorkspaceAsync(workspaceId, new { policyConfig = new { ipAllowlist = Array.Empty<string>(), enforceMfa = true } });

        Assert.Equal(("mfa_required", Catalog.Text("en", "Eligibility.MfaRequired"), false, true), await DecisionAsync(owner));
        Assert.True(Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner)).GetProperty("workspace").GetProperty("enforce_2fa").GetBoolean());
    }

    [Fact]
    public async Task A_disallowed_ip_and_enforced_mfa_together_are_one_restriction()
    {
        var (owner, workspaceId, institutionId) = await WorkspaceAsync();
        await PatchWorkspaceAsync(workspaceId, new { policyConfig = new { ipAllowlist = s_allowlist } });
        await PatchInstitutionAsync(institutionId, new { enforceMfa = true });

        Assert.Equal(("ip_and_mfa_required", Catalog.Text("en", "Eligibility.IpAndMfaRequired"), false, true), await DecisionAsync(owner, Outside));
        Assert.Equal(("mfa_required", Catalog.Text("en", "Eligibility.MfaRequired"), false, true), await DecisionAsync(owner, Inside));
    }

    [Fact]
    public async Task A_suspended_workspace_cannot_be_entered_nor_be_the_default()
    {
        var (owner, workspaceId, _) = await WorkspaceAsync();
        await PatchWorkspaceAsync(workspaceId, new { workspaceStatus = "SUSPENDED" });

        Assert.Equal(("workspace_suspended", Catalog.Text("en", "Eligibility.WorkspaceSuspended"), false, false), await DecisionAsync(owner));
        // Suspension outranks the policies: the member is told the workspace is suspended, not about their IP.
        await PatchWorkspaceAsync(workspaceId, new { policyConfig = new { ipAllowlist = s_allowlist } });
        Assert.Equal("workspace_suspended", (await DecisionAsync(owner)).Type);
    }

    [Fact]
    public async Task An_inactive_membership_cannot_be_entered_nor_be_the_default()
    {
        var (owner, workspaceId, _) = await WorkspaceAsync();
        var member = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);
        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}/members/{member.UserId}", new { status = "INACTIVE" })).AssertOk();

        Assert.Equal(("membership_inactive", Catalog.Text("en", "Eligibility.MembershipInactive"), false, false), await DecisionAsync(member));
        Assert.Equal(("none", "", true, true), await DecisionAsync(owner));
    }

    [Theory]
    [InlineData("zh")]
    [InlineData("zh-Hant")]
    [InlineData("ja")]
    [InlineData("vi")]
    public async Task Restriction_messages_are_localized(string language)
    {
        var (owner, workspaceId, _) = await WorkspaceAsync();
        await PatchWorkspaceAsync(workspaceId, new { policyConfig = new { ipAllowlist = s_allowlist } });

        var (type, message, _, _) = await DecisionAsync(owner, Outside, language);

        Assert.Equal("ip_not_allowed", type);
        Assert.Equal(Catalog.Text(language, "Eligibility.IpNotAllowed"), message);
        Assert.NotEqual(Catalog.Text("en", "Eligibility.IpNotAllowed"), message);
    }
}
