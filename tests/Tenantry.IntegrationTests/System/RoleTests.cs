using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>Roles and the permission catalogue (CONTRACT 5): built-ins, custom roles, uniqueness, grants.</summary>
public sealed class RoleTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId)> OwnerAsync()
    {
        var owner = await _api.SignUpAsync();
        return (owner, await _api.CreateWorkspaceAsync(owner));
    }

    [Fact]
    public async Task The_permission_catalogue_is_listed_with_localized_descriptions()
    {
        var en = (await _api.GetAsync("/web/v1/system/permissions")).AssertOk("1.0.0").EnumerateArray().ToArray();
        Assert.Equal(
            ["workspace.read", "workspace.update", "members.read", "members.invite", "members.remove", "members.role.change", "roles.manage", "audit.read", "policies.manage", "webhooks.manage"],
            en.Select(p => p.Text("permission")));
        Assert.All(en, p => Assert.Equal(["permission", "description"], p.EnumerateObject().Select(f => f.Name)));
        Assert.Equal("Invite people to the workspace", en.Item("permission", "members.invite").Text("description"));

        var zh = (await _api.GetAsync("/web/v1/system/permissions", language: "zh-CN")).AssertOk().EnumerateArray().ToArray();
        Assert.Equal(Catalog.Text("zh", "Permission.members.invite"), zh.Item("permission", "members.invite").Text("description"));
        Assert.NotEqual(en.Item("permission", "audit.read").Text("description"), zh.Item("permission", "audit.read").Text("description"));
    }

    [Fact]
    public async Task Built_in_role_descriptions_are_localized()
    {
        var (owner, ws) = await OwnerAsync();
        var roles = (await _api.GetAsync($"/web/v1/workspaces/{ws}/roles", owner.AccessToken, language: "ja")).AssertOk().EnumerateArray().ToArray();
        Assert.Equal(Catalog.Text("ja", "Role.Owner.Description"), roles.Item("roleName", "Owner").Text("description"));
        Assert.Equal(Catalog.Text("ja", "Role.Member.Description"), roles.Item("roleName", "Member").Text("description"));
    }

    [Fact]
    public async Task Role_names_are_unique_case_insensitively_built_ins_included()
    {
        var (owner, ws) = await OwnerAsync();
        var created = (await _api.PostAsync($"/web/v1/workspaces/{ws}/roles",
            new { roleName = "  Billing  ", description = "Pays the bills", permissions = new[] { "members.read", "workspace.read", "members.read" } }, owner.AccessToken)).AssertOk("1.0.0");
        Assert.Equal("Billing", created.Text("roleName"));
        Assert.Equal("Pays the bills", created.Text("description"));
        Assert.Equal(["workspace.read", "members.read"], created.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        foreach (var name in new[] { "billing", "BILLING", " Billing", "owner", "MEMBER" })
        {
            (await _api.CreateRoleAsync(owner, ws, name, "workspace.read")).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS", "1.0.0");
        }
        // Another workspace may use the same name.
        var (other, otherWs) = await OwnerAsync();
        (await _api.CreateRoleAsync(other, otherWs, "Billing")).AssertOk();
        Assert.Equal(3, (await _api.RolesAsync(owner, ws)).Length);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_make_one_role()
    {
        var (owner, ws) = await OwnerAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _api.CreateRoleAsync(owner, ws, i % 2 == 0 ? "Auditor" : "AUDITOR", "audit.read")));

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => r.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS"));
        Assert.Single(await _api.RolesAsync(owner, ws), r => r.Text("roleName").Equals("auditor", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Custom_roles_are_updated_partially()
    {
        var (owner, ws) = await OwnerAsync();
        var role = (await _api.PostAsync($"/web/v1/workspaces/{ws}/roles",
            new { roleName = "Support", description = "Helps", permissions = new[] { "members.read" } }, owner.AccessToken)).AssertOk();
        var id = role.Text("roleBizId");

        var renamed = (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", new { roleName = "Helpdesk" }, owner.AccessToken)).AssertOk("1.0.0");
        Assert.Equal("Helpdesk", renamed.Text("roleName"));
        Assert.Equal("Helps", renamed.Text("description"));
        Assert.Equal(["members.read"], renamed.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        var changed = (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", """{"description":null,"permissions":["audit.read","members.invite"]}""", owner.AccessToken)).AssertOk();
        Assert.Equal("Helpdesk", changed.Text("roleName"));
        Assert.Equal(global::System.Text.Json.JsonValueKind.Null, changed.GetProperty("description").ValueKind);
        Assert.Equal(["members.invite", "audit.read"], changed.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.True(changed.GetProperty("updatedAt").GetDateTimeOffset() >= role.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(changed.GetRawText(), (await _api.RolesAsync(owner, ws)).Item("roleBizId", id).GetRawText());

        (await _api.CreateRoleAsync(owner, ws, "Other", "members.read")).AssertOk();
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", new { roleName = "other" }, owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", new { roleName = "OWNER" }, owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS");
        // Renaming to the same name in another case is allowed.
        Assert.Equal("HELPDESK", (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", new { roleName = "HELPDESK" }, owner.AccessToken)).AssertOk().Text("roleName"));
    }

    [Fact]
    public async Task Built_in_roles_cannot_be_changed_or_deleted()
    {
        var (owner, ws) = await OwnerAsync();
        foreach (var name in new[] { "Owner", "Member" })
        {
            var id = await _api.RoleIdAsync(owner, ws, name);
            (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", new { permissions = new[] { "workspace.read" } }, owner.AccessToken))
                .AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.BUILT_IN_ROLE", "1.0.0");
            (await _api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{ws}/roles/{id}", token: owner.AccessToken))
                .AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.BUILT_IN_ROLE");
        }
        var roles = await _api.RolesAsync(owner, ws);
        Assert.Equal(10, roles.Item("roleName", "Owner").GetProperty("permissions").GetArrayLength());
        Assert.Equal(2, roles.Item("roleName", "Member").GetProperty("permissions").GetArrayLength());
    }

    [Fact]
    public async Task A_role_held_by_members_cannot_be_deleted()
    {
        var (owner, ws) = await OwnerAsync();
        var member = await _api.SignUpAsync();
        var id = (await _api.CreateRoleAsync(owner, ws, "Temp", "workspace.read")).AssertOk().Text("roleBizId");
        await _api.JoinAsync(owner, ws, member, "Temp");

        var refused = await _api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{ws}/roles/{id}", token: owner.AccessToken);
        refused.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_IN_USE", "1.0.0");
        Assert.Contains("1", refused.MessageText);

        (await _api.ChangeRoleAsync(owner, ws, member.UserId, await _api.RoleIdAsync(owner, ws, "Member"))).AssertOk();
        (await _api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{ws}/roles/{id}", token: owner.AccessToken)).AssertOk("1.0.0");
        Assert.DoesNotContain(await _api.RolesAsync(owner, ws), r => r.Text("roleBizId") == id);
        (await _api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{ws}/roles/{id}", token: owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", new { roleName = "Back" }, owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }

    [Fact]
    public async Task Deleting_a_role_withdraws_the_invitations_that_offered_it()
    {
        var (owner, ws) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var id = (await _api.CreateRoleAsync(owner, ws, "Short lived", "workspace.read")).AssertOk().Text("roleBizId");
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, id);

        (await _api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{ws}/roles/{id}", token: owner.AccessToken)).AssertOk();

        Assert.Empty(await _api.MyInvitationsAsync(invitee));
        (await _api.AcceptAsync(invitee, invitation)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }

    [Theory]
    [InlineData("""{"roleName":"A","permissions":["workspace.read","workspace.destroy"]}""", "$.permissions[1]")]
    [InlineData("""{"roleName":"A","permissions":[null]}""", "$.permissions[0]")]
    [InlineData("""{"roleName":"A"}""", "$.permissions")]
    [InlineData("""{"roleName":"A","permissions":null}""", "$.permissions")]
    [InlineData("""{"permissions":[]}""", "$.roleName")]
    [InlineData("""{"roleName":"   ","permissions":[]}""", "$.roleName")]
    [InlineData("""{}""", "$.roleName")]
    [InlineData("""{"roleName":"A","permissions":"workspace.read"}""", "$.permissions")]
    [InlineData("""{"roleName":7,"permissions":[]}""", "$.roleName")]
    [InlineData("""[]""", "$")]
    public async Task Create_validation(string body, string field)
    {
        var (owner, ws) = await OwnerAsync();
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/roles", body, owner.AccessToken)).AssertValidationError(field);
        Assert.Equal(2, (await _api.RolesAsync(owner, ws)).Length);
    }

    [Fact]
    public async Task Long_names_and_descriptions_and_empty_bodies_are_refused()
    {
        var (owner, ws) = await OwnerAsync();
        var message = (await _api.PostAsync($"/web/v1/workspaces/{ws}/roles", new { roleName = new string('r', 300), permissions = Array.Empty<string>() }, owner.AccessToken))
            .AssertValidationError("$.roleName");
        Assert.Equal("Must be at most 64 characters", message);
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/roles", new { roleName = "A", description = new string('d', 501), permissions = Array.Empty<string>() }, owner.AccessToken))
            .AssertValidationError("$.description");
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/roles", token: owner.AccessToken)).AssertValidationError("$");

        var id = (await _api.CreateRoleAsync(owner, ws, "Fine")).AssertOk().Text("roleBizId");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", new { roleName = new string('r', 300) }, owner.AccessToken)).AssertValidationError("$.roleName");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", "{}", owner.AccessToken)).AssertValidationError("$");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", null, owner.AccessToken)).AssertValidationError("$");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", """{"permissions":["nope"]}""", owner.AccessToken)).AssertValidationError("$.permissions[0]");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{id}", """{"roleName":null}""", owner.AccessToken)).AssertValidationError("$.roleName");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/not-a-role", new { roleName = "X" }, owner.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Equal("Fine", (await _api.RolesAsync(owner, ws)).Last().Text("roleName"));
    }

    [Fact]
    public async Task A_role_manager_cannot_create_or_edit_roles_beyond_their_own_permissions()
    {
        var (owner, ws) = await OwnerAsync();
        var manager = await _api.SignUpAsync();
        (await _api.CreateRoleAsync(owner, ws, "Role manager", "workspace.read", "members.read", "roles.manage")).AssertOk();
        var powerful = (await _api.CreateRoleAsync(owner, ws, "Powerful", "audit.read")).AssertOk().Text("roleBizId");
        await _api.JoinAsync(owner, ws, manager, "Role manager");

        (await _api.CreateRoleAsync(manager, ws, "Auditor", "audit.read")).AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR", "1.0.0");
        var reader = (await _api.CreateRoleAsync(manager, ws, "Reader", "workspace.read")).AssertOk().Text("roleBizId");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{reader}", new { permissions = new[] { "members.remove" } }, manager.AccessToken))
            .AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{powerful}", new { roleName = "Weak" }, manager.AccessToken))
            .AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
        (await _api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{ws}/roles/{powerful}", token: manager.AccessToken))
            .AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{reader}", new { permissions = new[] { "members.read", "roles.manage" } }, manager.AccessToken)).AssertOk();
        Assert.Equal(["Owner", "Member", "Role manager", "Powerful", "Reader"], (await _api.RolesAsync(owner, ws)).Select(r => r.Text("roleName")));
    }
}
