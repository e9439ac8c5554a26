using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Institutions;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.System;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// The cache behind <c>/me/workspace-memberships</c> on a server that would keep an entry for ten minutes:
/// everything the full view shows, changed through this replica, is seen on the next request.
/// </summary>
public sealed class WachtCacheTests(LongCacheApp app) : IClassFixture<LongCacheApp>
{
    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private async Task<JsonElement> OnlyMembershipAsync(TestUser user, string? clientIp = WachtApi.ClientIp) =>
        Assert.Single(await _wacht.WorkspaceMembershipsAsync(user, clientIp: clientIp));

    private async Task<(TestUser Owner, string WorkspaceId, string InstitutionId)> CachedOwnerAsync()
    {
        var owner = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner);
        // Twice: the second answer comes from the cache.
        await OnlyMembershipAsync(owner);
        await OnlyMembershipAsync(owner);
        return (owner, workspaceId, await app.InstitutionOfAsync(workspaceId));
    }

    [Fact]
    public async Task Someone_else_joining_shows_in_the_member_counts()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        var colleague = await _system.SignUpAsync();

        await app.AddOrganizationMemberAsync(workspaceId, colleague.UserId);

        var item = await OnlyMembershipAsync(owner);
        Assert.Equal(2, item.GetProperty("workspace").GetProperty("member_count").GetInt32());
        Assert.Equal(2, item.GetProperty("organization").GetProperty("member_count").GetInt32());
    }

    [Fact]
    public async Task Segments_set_by_the_operator_show()
    {
        var (owner, workspaceId, institutionId) = await CachedOwnerAsync();

        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { segments = new[] { "beta" } })).AssertOk();
        await app.AddOrganizationSegmentAsync(institutionId, "enterprise");

        var item = await OnlyMembershipAsync(owner);
        Assert.Equal(["beta"], item.GetProperty("workspace").GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(["enterprise"], item.GetProperty("organization").GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_role_change_shows_in_roles_permissions_and_private_metadata()
    {
        var (owner, workspaceId, institutionId) = await CachedOwnerAsync();
        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { privateMetadata = new { billingId = "cus_7" } })).AssertOk();
        (await _system.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { privateMetadata = new { crmId = 9 } })).AssertOk();
        var member = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);
        var before = await OnlyMembershipAsync(member);
        Assert.DoesNotContain("workspace.update", before.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("{}", before.GetProperty("workspace").GetProperty("private_metadata").GetRawText());
        Assert.Equal("{}", before.GetProperty("organization").GetProperty("private_metadata").GetRawText());

        var ownerRole = await _system.RoleIdAsync(owner, workspaceId, "Owner");
        (await _system.ChangeRoleAsync(owner, workspaceId, member.UserId, ownerRole)).AssertOk();
        await app.SetOrganizationRoleAsync(institutionId, member.UserId, InstitutionRole.Admin);

        var after = await OnlyMembershipAsync(member);
        Assert.Equal("Owner", Assert.Single(after.GetProperty("roles").EnumerateArray()).GetProperty("name").GetString());
        Assert.Contains("workspace.update", after.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("cus_7", after.GetProperty("workspace").GetProperty("private_metadata").GetProperty("billingId").GetString());
        Assert.Equal(9, after.GetProperty("organization").GetProperty("private_metadata").GetProperty("crmId").GetInt32());
    }

    [Fact]
    public async Task Editing_a_custom_role_shows_in_the_permissions_of_its_holders()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        var roleId = (await _system.CreateRoleAsync(owner, workspaceId, "Reviewers", "members.read")).AssertOk().Text("roleBizId");
        var reviewer = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, reviewer.UserId, "Reviewers");
        Assert.Contains("members.read", (await OnlyMembershipAsync(reviewer)).GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        (await _system.PatchAsync($"/web/v1/workspaces/{workspaceId}/roles/{roleId}", new { permissions = new[] { "audit.read" } }, owner.AccessToken)).AssertOk();

        var permissions = (await OnlyMembershipAsync(reviewer)).GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("audit.read", permissions);
        Assert.DoesNotContain("members.read", permissions);
    }

    [Fact]
    public async Task Eligibility_is_decided_per_request_and_policies_show_at_once()
    {
        var (owner, workspaceId, institutionId) = await CachedOwnerAsync();
        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } })).AssertOk();

        Assert.Equal("ip_not_allowed", Restriction(await OnlyMembershipAsync(owner, clientIp: "198.51.100.7")));
        Assert.Equal("none", Restriction(await OnlyMembershipAsync(owner, clientIp: "203.0.113.9")));

        (await _system.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { enforceMfa = true })).AssertOk();
        Assert.Equal("mfa_required", Restriction(await OnlyMembershipAsync(owner, clientIp: "203.0.113.9")));
    }

    [Fact]
    public async Task The_kept_rendering_follows_the_client_ip_and_the_language()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } })).AssertOk();

        // Back and forth, so that a rendering kept for one request would be replayed to the next.
        foreach (var (clientIp, language) in new[] { ("198.51.100.7", "ja"), ("203.0.113.9", "ja"), ("198.51.100.7", "ja"), ("198.51.100.7", "vi"), ("198.51.100.7", "ja") })
        {
            var restriction = Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner, clientIp: clientIp, language: language)).GetProperty("eligibility_restriction");
            var outside = clientIp == "198.51.100.7";
            Assert.Equal(outside ? "ip_not_allowed" : "none", restriction.GetProperty("type").GetString());
            Assert.Equal(outside ? Catalog.Text(language, "Eligibility.IpNotAllowed") : "", restriction.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Leaving_and_joining_show_on_the_next_request_in_both_dialects()
    {
        var (owner, _, _) = await CachedOwnerAsync();
        var (_, second, _) = await CachedOwnerAsync();
        await app.AddOrganizationMemberAsync(second, owner.UserId);
        Assert.Equal(2, (await _wacht.WorkspaceMembershipsAsync(owner)).Length);

        (await _wacht.PostAsync($"/workspaces/{second}/leave", owner.SessionCookie)).AssertOk();

        Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner));
        Assert.Single(await _system.ListMineAsync(owner));
    }

    [Fact]
    public async Task The_organization_filter_applies_to_the_cached_list()
    {
        var (owner, _, firstInstitution) = await CachedOwnerAsync();
        var (_, second, secondInstitution) = await CachedOwnerAsync();
        await app.AddOrganizationMemberAsync(second, owner.UserId);
        Assert.Equal(2, (await _wacht.WorkspaceMembershipsAsync(owner)).Length);

        var firstOnly = Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner, $"?org_id={firstInstitution}"));
        var secondOnly = Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner, $"?org_id={secondInstitution}"));

        Assert.Equal(firstInstitution, firstOnly.GetProperty("organization").GetProperty("id").GetString());
        Assert.Equal(second, secondOnly.GetProperty("workspace").GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_session_sent_with_every_answer_follows_switches_made_in_either_dialect()
    {
        var (owner, first, firstInstitution) = await CachedOwnerAsync();
        var (_, second, secondInstitution) = await CachedOwnerAsync();
        await app.AddOrganizationMemberAsync(second, owner.UserId);
        var memberships = await _wacht.WorkspaceMembershipsAsync(owner);
        string MembershipOf(string workspaceId) => memberships.Single(m => m.GetProperty("workspace").GetProperty("id").GetString() == workspaceId).Text("id");
        var organizations = await _wacht.OrganizationMembershipsAsync(owner);
        string OrganizationMembershipOf(string institutionId) => organizations.Single(o => o.GetProperty("organization").GetProperty("id").GetString() == institutionId).Text("id");
        Assert.Equal(MembershipOf(first), ActiveWorkspace(await _wacht.ActiveSignInAsync(owner)));

        (await _system.PostAsync($"/web/v1/tenant/workspaces/{second}/default", token: owner.AccessToken)).AssertOk();
        var signIn = await _wacht.ActiveSignInAsync(owner);
        Assert.Equal(MembershipOf(second), ActiveWorkspace(signIn));
        Assert.Equal(OrganizationMembershipOf(secondInstitution), signIn.GetProperty("active_organization_membership_id").GetString());

        // The answer to the switch itself carries the new session.
        var switched = await _wacht.PostAsync($"/session/switch-workspace?workspace_id={first}", owner.SessionCookie);
        Assert.Equal(MembershipOf(first), ActiveWorkspace(switched.AssertOk().GetProperty("active_signin")));
        signIn = await _wacht.ActiveSignInAsync(owner);
        Assert.Equal(MembershipOf(first), ActiveWorkspace(signIn));
        Assert.Equal(OrganizationMembershipOf(firstInstitution), signIn.GetProperty("active_organization_membership_id").GetString());
    }

    [Fact]
    public async Task The_session_block_kept_between_answers_follows_a_profile_change()
    {
        var (owner, _, _) = await CachedOwnerAsync();
        var kept = await _wacht.ActiveSignInAsync(owner);
        Assert.Equal(kept.GetRawText(), (await _wacht.ActiveSignInAsync(owner)).GetRawText());

        (await _wacht.PostAsync("/me", owner.SessionCookie, new FormUrlEncodedContent([new("first_name", "Grace")]))).AssertOk();

        Assert.Equal("Grace", (await _wacht.ActiveSignInAsync(owner)).GetProperty("user").GetProperty("first_name").GetString());
        var memberships = await _wacht.GetAsync("/me/workspace-memberships", owner.SessionCookie);
        memberships.AssertOk();
        Assert.Equal("Grace", memberships.Session.GetProperty("active_signin").GetProperty("user").GetProperty("first_name").GetString());
    }

    [Fact]
    public async Task An_entry_past_half_the_bound_is_re_read_in_the_background()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE workspaces SET name = 'Renamed outside' WHERE id = {workspaceId}"));
        // Past the refresh point (40–60 % of the bound).
        app.Clock.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));

        Assert.NotEqual("Renamed outside", Name(await OnlyMembershipAsync(owner)));
        await Eventually.TrueAsync(async () => Name(await OnlyMembershipAsync(owner)) == "Renamed outside");
    }

    [Fact]
    public async Task A_workspace_renamed_directly_in_the_database_is_seen_once_the_bound_has_passed()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        // As another replica would without the broadcast: straight SQL, which this replica's change feed never hears of.
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE workspaces SET name = 'Changed outside' WHERE id = {workspaceId}"));
        Assert.NotEqual("Changed outside", Name(await OnlyMembershipAsync(owner)));

        app.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        Assert.Equal("Changed outside", Name(await OnlyMembershipAsync(owner)));
    }

    private static string? ActiveWorkspace(JsonElement signIn) => signIn.GetProperty("active_workspace_membership_id").GetString();

    private static string? Restriction(JsonElement item) => item.GetProperty("eligibility_restriction").GetProperty("type").GetString();

    private static string? Name(JsonElement item) => item.GetProperty("workspace").GetProperty("name").GetString();
}
