using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// <c>GET /session</c> and the switches (CONTRACT 6): the active workspace is the SYSTEM default
/// workspace, one stored choice seen by both dialects; the active organization follows it.
/// </summary>
public sealed class SessionTests(WachtApp app) : IClassFixture<WachtApp>
{
    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    /// <summary>The user owns "Own" (their default) and is a member of "Joined" in another organization.</summary>
    private async Task<(TestUser User, string Own, string Joined, string OwnOrg, string JoinedOrg)> UserInTwoOrganizationsAsync()
    {
        var user = await _system.SignUpAsync();
        var other = await _system.SignUpAsync();
        var own = await _system.CreateWorkspaceAsync(user, "Own");
        var joined = await _system.CreateWorkspaceAsync(other, "Joined");
        await app.AddOrganizationMemberAsync(joined, user.UserId);
        return (user, own, joined, await app.InstitutionOfAsync(own), await app.InstitutionOfAsync(joined));
    }

    private async Task<Dictionary<string, string>> MembershipIdsAsync(TestUser user) =>
        (await _wacht.WorkspaceMembershipsAsync(user)).ToDictionary(i => i.GetProperty("workspace").GetProperty("id").GetString()!, i => i.GetProperty("id").GetString()!);

    private async Task<Dictionary<string, string>> OrganizationMembershipIdsAsync(TestUser user) =>
        (await _wacht.OrganizationMembershipsAsync(user)).ToDictionary(i => i.GetProperty("organization").GetProperty("id").GetString()!, i => i.GetProperty("id").GetString()!);

    private async Task<string?> SystemDefaultAsync(TestUser user) =>
        (await _system.ListMineAsync(user)).Where(i => i.GetProperty("isDefault").GetBoolean()).Select(i => i.GetProperty("workspaceBizId").GetString()).SingleOrDefault();

    private static string? Text(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetString();

    private async Task<(string? Organization, string? Workspace)> ActiveAsync(TestUser user)
    {
        var signIn = await _wacht.ActiveSignInAsync(user);
        return (Text(signIn.GetProperty("active_organization_membership_id")), Text(signIn.GetProperty("active_workspace_membership_id")));
    }

    private Task<WachtResponse> SwitchWorkspaceAsync(TestUser user, string? workspaceId) =>
        _wacht.PostAsync("/session/switch-workspace" + (workspaceId is null ? "" : $"?workspace_id={workspaceId}"), user.SessionCookie);

    private Task<WachtResponse> SwitchOrganizationAsync(TestUser user, string? organizationId) =>
        _wacht.PostAsync("/session/switch-organization" + (organizationId is null ? "" : $"?organization_id={organizationId}"), user.SessionCookie);

    [Fact]
    public async Task The_session_is_the_system_session_with_its_active_memberships()
    {
        var user = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(user);

        var session = (await _wacht.GetAsync("/session", user.SessionCookie)).AssertOk();

        Assert.Equal(WachtResponse.SessionKeys, session.EnumerateObject().Select(p => p.Name));
        Assert.Equal(user.SessionId, session.GetProperty("id").GetString());
        Assert.Equal(0, session.GetProperty("signin_attempts").GetArrayLength());
        Assert.Equal(0, session.GetProperty("signup_attempts").GetArrayLength());
        var signIn = Assert.Single(session.GetProperty("signins").EnumerateArray());
        Assert.Equal(signIn.GetRawText(), session.GetProperty("active_signin").GetRawText());
        Assert.Equal(user.SessionId, signIn.GetProperty("id").GetString());
        Assert.Equal(user.UserId, signIn.GetProperty("user_id").GetString());
        Assert.Equal((await MembershipIdsAsync(user))[workspaceId], signIn.GetProperty("active_workspace_membership_id").GetString());
        Assert.Equal((await OrganizationMembershipIdsAsync(user))[await app.InstitutionOfAsync(workspaceId)],
            signIn.GetProperty("active_organization_membership_id").GetString());
        // Every success carries the same session block, with seed 003's id and timestamps.
        var listed = await _wacht.GetAsync("/me/workspace-memberships", user.SessionCookie);
        listed.AssertOk();
        Assert.Equal(session.GetRawText(), listed.Session.GetRawText());
    }

    [Fact]
    public async Task A_new_user_has_no_active_memberships()
    {
        var user = await _system.SignUpAsync();
        Assert.Equal((null, null), await ActiveAsync(user));
    }

    [Fact]
    public async Task Switching_the_workspace_in_wacht_moves_the_system_default_and_back()
    {
        var (user, own, joined, ownOrg, joinedOrg) = await UserInTwoOrganizationsAsync();
        var memberships = await MembershipIdsAsync(user);
        var organizations = await OrganizationMembershipIdsAsync(user);
        Assert.Equal(own, await SystemDefaultAsync(user));

        var session = (await SwitchWorkspaceAsync(user, joined)).AssertOk();

        // The answer is the session after the switch, as Wacht's is.
        Assert.Equal(memberships[joined], session.GetProperty("active_signin").GetProperty("active_workspace_membership_id").GetString());
        Assert.Equal(organizations[joinedOrg], session.GetProperty("active_signin").GetProperty("active_organization_membership_id").GetString());
        Assert.Equal(joined, await SystemDefaultAsync(user));

        // And the SYSTEM dialect moves it back: Wacht sees that, organization included.
        (await _system.PostAsync($"/web/v1/tenant/workspaces/{own}/default", token: user.AccessToken)).AssertOk("2.0.0");
        Assert.Equal((organizations[ownOrg], memberships[own]), await ActiveAsync(user));
    }

    [Fact]
    public async Task Switching_to_no_workspace_clears_both_everywhere()
    {
        var (user, own, _, _, _) = await UserInTwoOrganizationsAsync();
        Assert.Equal(own, await SystemDefaultAsync(user));

        (await SwitchWorkspaceAsync(user, "")).AssertOk();

        Assert.Null(await SystemDefaultAsync(user));
        Assert.Equal((null, null), await ActiveAsync(user));
        Assert.All(await _system.ListMineAsync(user), i => Assert.False(i.GetProperty("isDefault").GetBoolean()));

        // No parameter at all means the same (the SDK leaves it out).
        (await SwitchWorkspaceAsync(user, own)).AssertOk();
        (await SwitchWorkspaceAsync(user, null)).AssertOk();
        Assert.Null(await SystemDefaultAsync(user));
    }

    [Fact]
    public async Task Switching_to_a_workspace_one_is_not_a_member_of_is_a_400_that_changes_nothing()
    {
        var (user, own, _, _, _) = await UserInTwoOrganizationsAsync();
        var stranger = await _system.SignUpAsync();
        var foreign = await _system.CreateWorkspaceAsync(stranger);

        var message = (await SwitchWorkspaceAsync(user, foreign)).AssertError(HttpStatusCode.BadRequest);
        Assert.Equal(Catalog.Text("en", "Error.NotAMember"), message);
        (await SwitchWorkspaceAsync(user, "ws_garbage")).AssertError(HttpStatusCode.BadRequest);
        Assert.Equal(own, await SystemDefaultAsync(user));
    }

    [Fact]
    public async Task A_suspended_workspace_cannot_become_active()
    {
        var (user, own, joined, _, _) = await UserInTwoOrganizationsAsync();
        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{joined}", new { workspaceStatus = "SUSPENDED" })).AssertOk();

        var message = (await SwitchWorkspaceAsync(user, joined)).AssertError(HttpStatusCode.BadRequest);

        Assert.Equal(Catalog.Text("en", "Error.NotDefaultEligible"), message);
        Assert.Equal(own, await SystemDefaultAsync(user));
    }

    [Fact]
    public async Task The_active_workspace_cannot_be_switched_to_again_once_suspended()
    {
        var (user, own, _, ownOrg, _) = await UserInTwoOrganizationsAsync();
        var organizations = await OrganizationMembershipIdsAsync(user);
        var memberships = await MembershipIdsAsync(user);
        (await SwitchWorkspaceAsync(user, own)).AssertOk();
        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{own}", new { workspaceStatus = "SUSPENDED" })).AssertOk();

        // The same rule as SYSTEM's set-default: eligibility before "already active".
        var message = (await SwitchWorkspaceAsync(user, own)).AssertError(HttpStatusCode.BadRequest);

        Assert.Equal(Catalog.Text("en", "Error.NotDefaultEligible"), message);
        Assert.Equal(own, await SystemDefaultAsync(user));
        Assert.Equal((organizations[ownOrg], memberships[own]), await ActiveAsync(user));
    }

    [Fact]
    public async Task The_active_workspace_cannot_be_switched_to_again_once_the_membership_is_inactive()
    {
        var (user, _, joined, _, _) = await UserInTwoOrganizationsAsync();
        (await SwitchWorkspaceAsync(user, joined)).AssertOk();
        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{joined}/members/{user.UserId}", new { status = "INACTIVE" })).AssertOk();

        var message = (await SwitchWorkspaceAsync(user, joined)).AssertError(HttpStatusCode.BadRequest);

        Assert.Equal(Catalog.Text("en", "Error.NotDefaultEligible"), message);
        Assert.Equal(joined, await SystemDefaultAsync(user));
    }

    [Fact]
    public async Task Switching_the_organization_clears_a_workspace_of_another_and_keeps_one_inside()
    {
        var (user, own, joined, ownOrg, joinedOrg) = await UserInTwoOrganizationsAsync();
        var organizations = await OrganizationMembershipIdsAsync(user);
        var memberships = await MembershipIdsAsync(user);

        // Into the organization of the active workspace: nothing else moves.
        var session = (await SwitchOrganizationAsync(user, ownOrg)).AssertOk();
        Assert.Equal(organizations[ownOrg], session.GetProperty("active_signin").GetProperty("active_organization_membership_id").GetString());
        Assert.Equal(memberships[own], session.GetProperty("active_signin").GetProperty("active_workspace_membership_id").GetString());

        // Into another: the active workspace (the SYSTEM default) would lie outside it, so it goes, as in Wacht.
        (await SwitchOrganizationAsync(user, joinedOrg)).AssertOk();
        Assert.Equal((organizations[joinedOrg], null), await ActiveAsync(user));
        Assert.Null(await SystemDefaultAsync(user));

        // Picking a workspace of it keeps that organization.
        (await SwitchWorkspaceAsync(user, joined)).AssertOk();
        Assert.Equal((organizations[joinedOrg], memberships[joined]), await ActiveAsync(user));

        // No id clears both.
        (await SwitchOrganizationAsync(user, null)).AssertOk();
        Assert.Equal((null, null), await ActiveAsync(user));
        Assert.Null(await SystemDefaultAsync(user));
    }

    [Fact]
    public async Task Switching_to_an_organization_one_is_not_a_member_of_is_a_400()
    {
        var (user, own, _, ownOrg, _) = await UserInTwoOrganizationsAsync();
        var strangerOrg = await app.InstitutionOfAsync(await _system.CreateWorkspaceAsync(await _system.SignUpAsync()));

        var message = (await SwitchOrganizationAsync(user, strangerOrg)).AssertError(HttpStatusCode.BadRequest);

        Assert.Equal(Catalog.Text("en", "Error.NotAnInstitutionMember"), message);
        (await SwitchOrganizationAsync(user, "inst_nope")).AssertError(HttpStatusCode.BadRequest);
        Assert.Equal(own, await SystemDefaultAsync(user));
        Assert.Equal((await OrganizationMembershipIdsAsync(user))[ownOrg], (await ActiveAsync(user)).Organization);
    }

    [Fact]
    public async Task Concurrent_organization_switches_leave_exactly_one_active_organization()
    {
        var user = await _system.SignUpAsync();
        var organizations = new List<string> { await app.InstitutionOfAsync(await _system.CreateWorkspaceAsync(user, "Own")) };
        for (var i = 0; i < 3; i++)
        {
            var other = await _system.SignUpAsync();
            var workspaceId = await _system.CreateWorkspaceAsync(other, $"Other {i}");
            await app.AddOrganizationMemberAsync(workspaceId, user.UserId);
            organizations.Add(await app.InstitutionOfAsync(workspaceId));
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => SwitchOrganizationAsync(user, organizations[i % organizations.Count])));

        Assert.All(answers, a => a.AssertOk());
        var active = await app.WithDbAsync(db => db.InstitutionMemberships.Where(m => m.UserId == user.UserId && m.IsActive).Select(m => m.Id).ToListAsync());
        var only = Assert.Single(active);
        Assert.Equal(only, (await ActiveAsync(user)).Organization);
    }

    [Fact]
    public async Task Concurrent_workspace_switches_leave_one_default_and_its_organization_active()
    {
        var (user, own, joined, ownOrg, joinedOrg) = await UserInTwoOrganizationsAsync();
        var organizations = await OrganizationMembershipIdsAsync(user);
        var memberships = await MembershipIdsAsync(user);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => SwitchWorkspaceAsync(user, i % 2 == 0 ? own : joined)));

        Assert.All(answers, a => a.AssertOk());
        var stored = await app.WithDbAsync(async db => (
            Defaults: await db.WorkspaceMemberships.Where(m => m.UserId == user.UserId && m.IsDefault).Select(m => m.InstitutionId).ToListAsync(),
            Active: await db.InstitutionMemberships.Where(m => m.UserId == user.UserId && m.IsActive).Select(m => m.InstitutionId).ToListAsync()));
        var defaultOrg = Assert.Single(stored.Defaults);
        Assert.Equal(defaultOrg, Assert.Single(stored.Active));
        var (organization, workspace) = await ActiveAsync(user);
        Assert.Equal(defaultOrg == ownOrg ? (organizations[ownOrg], memberships[own]) : (organizations[joinedOrg], memberships[joined]), (organization, workspace));
    }
}
