using System.Globalization;
using System.Text.Json;
using Tenantry.Domain.Institutions;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary><c>GET /me/workspace-memberships</c> and <c>/me/organization-memberships</c> (CONTRACT 6, seeds 002 and 003).</summary>
public sealed class WorkspaceMembershipsTests(WachtApp app) : IClassFixture<WachtApp>
{
    // What a field may hold: seed 003 shows every field as a value of one JSON kind; CONTRACT 6 lets slug be null.
    // image_url, description, auto_assigned_workspace_id and the eligibility message are typed string by the seed and
    // the SDK alike: an empty string when unset, never null.
    private enum Kind { String, NullableString, Number, Boolean, Object, Array, Timestamp }

    private static readonly (string Name, Kind Kind)[] s_item =
    [
        ("id", Kind.String), ("workspace", Kind.Object), ("organization_id", Kind.String), ("user_id", Kind.String), ("roles", Kind.Array),
        ("permissions", Kind.Array), ("organization", Kind.Object), ("public_metadata", Kind.Object), ("created_at", Kind.Timestamp),
        ("updated_at", Kind.Timestamp), ("eligibility_restriction", Kind.Object),
    ];

    private static readonly (string Name, Kind Kind)[] s_workspace =
    [
        ("id", Kind.String), ("name", Kind.String), ("slug", Kind.NullableString), ("image_url", Kind.String),
        ("description", Kind.String), ("member_count", Kind.Number), ("public_metadata", Kind.Object), ("private_metadata", Kind.Object),
        ("enforce_2fa", Kind.Boolean), ("enable_ip_restriction", Kind.Boolean), ("whitelisted_ips", Kind.Array), ("created_at", Kind.Timestamp),
        ("updated_at", Kind.Timestamp), ("segments", Kind.Array), ("organization", Kind.Object),
    ];

    private static readonly (string Name, Kind Kind)[] s_workspaceOrganization = [("id", Kind.String), ("name", Kind.String), ("slug", Kind.NullableString)];

    private static readonly (string Name, Kind Kind)[] s_organization =
    [
        ("id", Kind.String), ("name", Kind.String), ("slug", Kind.NullableString), ("image_url", Kind.String),
        ("description", Kind.String), ("member_count", Kind.Number), ("public_metadata", Kind.Object), ("private_metadata", Kind.Object),
        ("enforce_mfa", Kind.Boolean), ("enable_ip_restriction", Kind.Boolean), ("whitelisted_ips", Kind.Array),
        ("auto_assigned_workspace_id", Kind.String), ("created_at", Kind.Timestamp), ("updated_at", Kind.Timestamp), ("segments", Kind.Array),
    ];

    private static readonly (string Name, Kind Kind)[] s_segment =
    [
        ("id", Kind.String), ("created_at", Kind.Timestamp), ("updated_at", Kind.Timestamp), ("deployment_id", Kind.String), ("name", Kind.String),
        ("type", Kind.String),
    ];

    private static readonly (string Name, Kind Kind)[] s_role =
        [("id", Kind.String), ("name", Kind.String), ("permissions", Kind.Array), ("created_at", Kind.Timestamp), ("updated_at", Kind.Timestamp)];

    private static readonly (string Name, Kind Kind)[] s_organizationRole =
    [
        ("id", Kind.String), ("organization_id", Kind.String), ("name", Kind.String), ("permissions", Kind.Array), ("created_at", Kind.Timestamp),
        ("updated_at", Kind.Timestamp),
    ];

    private static readonly (string Name, Kind Kind)[] s_eligibility = [("type", Kind.String), ("message", Kind.String)];

    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private static void AssertShape(JsonElement element, (string Name, Kind Kind)[] fields, bool nullsAllowed = true)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.Equal(fields.Select(f => f.Name).ToArray(), element.EnumerateObject().Select(p => p.Name).ToArray());
        foreach (var (name, kind) in fields)
        {
            var value = element.GetProperty(name);
            var ok = kind switch
            {
                Kind.String => value.ValueKind == JsonValueKind.String,
                Kind.NullableString => value.ValueKind == JsonValueKind.String || (nullsAllowed && value.ValueKind == JsonValueKind.Null),
                Kind.Number => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
                Kind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                Kind.Object => value.ValueKind == JsonValueKind.Object,
                Kind.Array => value.ValueKind == JsonValueKind.Array,
                _ => value.ValueKind == JsonValueKind.String && IsIsoTimestamp(value.GetString()!),
            };
            Assert.True(ok, $"{name} should be {kind} but is {value.ValueKind}: {value}");
        }
    }

    private static bool IsIsoTimestamp(string text) =>
        text.EndsWith('Z') && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static void AssertAllStrings(JsonElement array)
    {
        Assert.Equal(JsonValueKind.Array, array.ValueKind);
        Assert.All(array.EnumerateArray(), e => Assert.Equal(JsonValueKind.String, e.ValueKind));
    }

    /// <summary>Every nullable field set, every list non-empty: the item shows seed 003's kinds exactly.</summary>
    private async Task<(TestUser Owner, string WorkspaceId, string InstitutionId)> FullyDressedWorkspaceAsync()
    {
        var owner = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner, "Development Team");
        var institutionId = await app.InstitutionOfAsync(workspaceId);
        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new
        {
            slug = "dev-team-" + Guid.NewGuid().ToString("N")[..8],
            description = "Where the builders are",
            imageUrl = "https://cdn.example.com/dev.png",
            publicMetadata = new { plan = "pro" },
            privateMetadata = new { billingId = "cus_42" },
            segments = new[] { "beta", "eu" },
            policyConfig = new { ipAllowlist = new[] { "198.51.100.0/24" }, enforceMfa = false },
        })).AssertOk();
        (await _system.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new
        {
            slug = "acme-" + Guid.NewGuid().ToString("N")[..8],
            publicMetadata = new { tier = "gold" },
            privateMetadata = new { crmId = 7 },
            ipAllowlist = new[] { "198.51.100.0/24" },
            autoAssignedWorkspaceBizId = workspaceId,
        })).AssertOk();
        await app.AddOrganizationSegmentAsync(institutionId, "enterprise");
        await app.WithDbAsync(async db =>
        {
            // No API sets an organization's image or description yet.
            var institution = db.Entry((await db.Institutions.FindAsync(institutionId))!);
            institution.Property(i => i.ImageUrl).CurrentValue = "https://cdn.example.com/acme.png";
            institution.Property(i => i.Description).CurrentValue = "Acme Corporation";
            await db.SaveChangesAsync();
        });
        return (owner, workspaceId, institutionId);
    }

    [Fact]
    public async Task An_item_has_every_field_of_seed_003_with_its_json_kind_and_the_seed_002_fields()
    {
        var (owner, workspaceId, institutionId) = await FullyDressedWorkspaceAsync();

        var item = Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner));

        AssertShape(item, s_item, nullsAllowed: false);
        AssertShape(item.GetProperty("workspace"), s_workspace, nullsAllowed: false);
        AssertShape(item.GetProperty("workspace").GetProperty("organization"), s_workspaceOrganization, nullsAllowed: false);
        AssertShape(item.GetProperty("organization"), s_organization, nullsAllowed: false);
        AssertShape(item.GetProperty("eligibility_restriction"), s_eligibility);
        Assert.All(item.GetProperty("workspace").GetProperty("segments").EnumerateArray(), s => AssertShape(s, s_segment));
        Assert.All(item.GetProperty("organization").GetProperty("segments").EnumerateArray(), s => AssertShape(s, s_segment));
        AssertShape(Assert.Single(item.GetProperty("roles").EnumerateArray()), s_role);
        AssertAllStrings(item.GetProperty("permissions"));
        AssertAllStrings(item.GetProperty("workspace").GetProperty("whitelisted_ips"));
        AssertAllStrings(item.GetProperty("organization").GetProperty("whitelisted_ips"));

        // Seed 002: id, workspace{id, name, slug, organization{id, name, slug}}, permissions, created_at.
        var workspace = item.GetProperty("workspace");
        Assert.StartsWith("wm_", item.GetProperty("id").GetString());
        Assert.Equal(workspaceId, workspace.GetProperty("id").GetString());
        Assert.Equal("Development Team", workspace.GetProperty("name").GetString());
        Assert.StartsWith("dev-team-", workspace.GetProperty("slug").GetString());
        Assert.Equal(institutionId, workspace.GetProperty("organization").GetProperty("id").GetString());
        Assert.Equal("Development Team", workspace.GetProperty("organization").GetProperty("name").GetString());
        Assert.StartsWith("acme-", workspace.GetProperty("organization").GetProperty("slug").GetString());

        // The values behind the names.
        Assert.Equal(owner.UserId, item.GetProperty("user_id").GetString());
        Assert.Equal(institutionId, item.GetProperty("organization_id").GetString());
        Assert.Equal("Where the builders are", workspace.GetProperty("description").GetString());
        Assert.Equal("https://cdn.example.com/dev.png", workspace.GetProperty("image_url").GetString());
        Assert.Equal(1, workspace.GetProperty("member_count").GetInt32());
        Assert.Equal("pro", workspace.GetProperty("public_metadata").GetProperty("plan").GetString());
        Assert.Equal("cus_42", workspace.GetProperty("private_metadata").GetProperty("billingId").GetString());
        Assert.False(workspace.GetProperty("enforce_2fa").GetBoolean());
        Assert.True(workspace.GetProperty("enable_ip_restriction").GetBoolean());
        Assert.Equal(["198.51.100.0/24"], workspace.GetProperty("whitelisted_ips").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["beta", "eu"], workspace.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(workspace.GetProperty("segments").EnumerateArray(), s =>
        {
            Assert.Equal("workspace", s.GetProperty("type").GetString());
            Assert.Equal(WachtApp.DeploymentId, s.GetProperty("deployment_id").GetString());
            Assert.StartsWith("seg_", s.GetProperty("id").GetString());
        });

        var organization = item.GetProperty("organization");
        Assert.Equal(institutionId, organization.GetProperty("id").GetString());
        Assert.Equal("Acme Corporation", organization.GetProperty("description").GetString());
        Assert.Equal("https://cdn.example.com/acme.png", organization.GetProperty("image_url").GetString());
        Assert.Equal(1, organization.GetProperty("member_count").GetInt32());
        Assert.Equal("gold", organization.GetProperty("public_metadata").GetProperty("tier").GetString());
        Assert.Equal(7, organization.GetProperty("private_metadata").GetProperty("crmId").GetInt32());
        Assert.False(organization.GetProperty("enforce_mfa").GetBoolean());
        Assert.True(organization.GetProperty("enable_ip_restriction").GetBoolean());
        Assert.Equal(workspaceId, organization.GetProperty("auto_assigned_workspace_id").GetString());
        var segment = Assert.Single(organization.GetProperty("segments").EnumerateArray());
        Assert.Equal(("enterprise", "organization", WachtApp.DeploymentId),
            (segment.GetProperty("name").GetString(), segment.GetProperty("type").GetString(), segment.GetProperty("deployment_id").GetString()));

        var role = Assert.Single(item.GetProperty("roles").EnumerateArray());
        Assert.Equal("Owner", role.GetProperty("name").GetString());
        Assert.StartsWith("role_", role.GetProperty("id").GetString());
        Assert.Equal("none", item.GetProperty("eligibility_restriction").GetProperty("type").GetString());
        Assert.Equal("", item.GetProperty("eligibility_restriction").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Object, item.GetProperty("public_metadata").ValueKind);
    }

    [Fact]
    public async Task Unset_optional_fields_are_empty_strings_and_lists_empty()
    {
        var owner = await _system.SignUpAsync();
        await _system.CreateWorkspaceAsync(owner, "Bare");

        var item = Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner));

        AssertShape(item, s_item);
        AssertShape(item.GetProperty("workspace"), s_workspace);
        AssertShape(item.GetProperty("organization"), s_organization);
        var workspace = item.GetProperty("workspace");
        Assert.Equal("", workspace.GetProperty("image_url").GetString());
        Assert.Equal("", workspace.GetProperty("description").GetString());
        Assert.Equal("", item.GetProperty("organization").GetProperty("image_url").GetString());
        Assert.Equal("", item.GetProperty("organization").GetProperty("description").GetString());
        Assert.Equal(0, workspace.GetProperty("segments").GetArrayLength());
        Assert.Equal(0, workspace.GetProperty("whitelisted_ips").GetArrayLength());
        Assert.False(workspace.GetProperty("enable_ip_restriction").GetBoolean());
        Assert.Equal("{}", workspace.GetProperty("public_metadata").GetRawText());
        Assert.Equal("", item.GetProperty("organization").GetProperty("auto_assigned_workspace_id").GetString());
    }

    [Fact]
    public async Task Permissions_are_the_flat_union_of_the_roles_in_catalogue_order()
    {
        var owner = await _system.SignUpAsync();
        var member = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner);
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);

        var ownerItem = Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner));
        var memberItem = Assert.Single(await _wacht.WorkspaceMembershipsAsync(member));

        Assert.Equal(
            ["workspace.read", "workspace.update", "members.read", "members.invite", "members.remove", "members.role.change", "roles.manage", "audit.read", "policies.manage", "webhooks.manage"],
            ownerItem.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["workspace.read", "members.read"], memberItem.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        var memberRole = Assert.Single(memberItem.GetProperty("roles").EnumerateArray());
        Assert.Equal("Member", memberRole.GetProperty("name").GetString());
        Assert.Equal(memberItem.GetProperty("permissions").GetRawText(), memberRole.GetProperty("permissions").GetRawText());
        // Both see the same count, and it counts both of them.
        Assert.Equal(2, memberItem.GetProperty("workspace").GetProperty("member_count").GetInt32());
        Assert.Equal(2, ownerItem.GetProperty("workspace").GetProperty("member_count").GetInt32());
        Assert.Equal(2, ownerItem.GetProperty("organization").GetProperty("member_count").GetInt32());
    }

    [Fact]
    public async Task Private_metadata_is_shown_only_to_those_who_may_manage()
    {
        var (owner, workspaceId, institutionId) = await FullyDressedWorkspaceAsync();
        var member = await _system.SignUpAsync();
        var orgAdmin = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);
        await app.AddOrganizationMemberAsync(workspaceId, orgAdmin.UserId, organizationRole: InstitutionRole.Admin);

        var ownerItem = Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner));
        var memberItem = Assert.Single(await _wacht.WorkspaceMembershipsAsync(member));
        var adminItem = Assert.Single(await _wacht.WorkspaceMembershipsAsync(orgAdmin));

        // The owner holds workspace.update and owns the organization: both private objects.
        Assert.Equal("cus_42", ownerItem.GetProperty("workspace").GetProperty("private_metadata").GetProperty("billingId").GetString());
        Assert.Equal(7, ownerItem.GetProperty("organization").GetProperty("private_metadata").GetProperty("crmId").GetInt32());
        // A plain member: empty objects, the public ones intact.
        Assert.Equal("{}", memberItem.GetProperty("workspace").GetProperty("private_metadata").GetRawText());
        Assert.Equal("{}", memberItem.GetProperty("organization").GetProperty("private_metadata").GetRawText());
        Assert.Equal("pro", memberItem.GetProperty("workspace").GetProperty("public_metadata").GetProperty("plan").GetString());
        Assert.Equal("gold", memberItem.GetProperty("organization").GetProperty("public_metadata").GetProperty("tier").GetString());
        // An organization admin who is a plain member of the workspace: the organization's, not the workspace's.
        Assert.Equal("{}", adminItem.GetProperty("workspace").GetProperty("private_metadata").GetRawText());
        Assert.Equal(7, adminItem.GetProperty("organization").GetProperty("private_metadata").GetProperty("crmId").GetInt32());

        // The same rule in the organization list.
        var memberOrganization = Assert.Single(await _wacht.OrganizationMembershipsAsync(member));
        Assert.Equal("{}", memberOrganization.GetProperty("organization").GetProperty("private_metadata").GetRawText());
        var ownerOrganization = Assert.Single(await _wacht.OrganizationMembershipsAsync(owner));
        Assert.Equal(7, ownerOrganization.GetProperty("organization").GetProperty("private_metadata").GetProperty("crmId").GetInt32());
        Assert.Equal(institutionId, ownerOrganization.GetProperty("organization").GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_inactive_workspace_update_holder_does_not_see_private_metadata()
    {
        var (_, workspaceId, _) = await FullyDressedWorkspaceAsync();
        var coOwner = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, coOwner.UserId, "Owner");
        Assert.Equal("cus_42", Assert.Single(await _wacht.WorkspaceMembershipsAsync(coOwner)).GetProperty("workspace").GetProperty("private_metadata").GetProperty("billingId").GetString());

        (await _system.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}/members/{coOwner.UserId}", new { status = "INACTIVE" })).AssertOk();

        Assert.Equal("{}", Assert.Single(await _wacht.WorkspaceMembershipsAsync(coOwner)).GetProperty("workspace").GetProperty("private_metadata").GetRawText());
    }

    [Fact]
    public async Task The_org_id_filter_keeps_one_organization()
    {
        var user = await _system.SignUpAsync();
        var other = await _system.SignUpAsync();
        var own = await _system.CreateWorkspaceAsync(user, "Own");
        var joined = await _system.CreateWorkspaceAsync(other, "Joined");
        var ownOrg = await app.InstitutionOfAsync(own);
        var joinedOrg = await app.InstitutionOfAsync(joined);
        var second = await app.AddWorkspaceAsync(joinedOrg, other.UserId, "Joined Too");
        await app.AddOrganizationMemberAsync(joined, user.UserId);
        await app.AddOrganizationMemberAsync(second, user.UserId);

        var all = await _wacht.WorkspaceMembershipsAsync(user);
        Assert.Equal([own, joined, second], all.Select(i => i.GetProperty("workspace").GetProperty("id").GetString()));

        var ofJoined = await _wacht.WorkspaceMembershipsAsync(user, $"?org_id={joinedOrg}");
        Assert.Equal([joined, second], ofJoined.Select(i => i.GetProperty("workspace").GetProperty("id").GetString()));
        Assert.All(ofJoined, i => Assert.Equal(joinedOrg, i.GetProperty("organization_id").GetString()));

        Assert.Equal([own], (await _wacht.WorkspaceMembershipsAsync(user, $"?org_id={ownOrg}")).Select(i => i.GetProperty("workspace").GetProperty("id").GetString()));
        Assert.Equal(3, (await _wacht.WorkspaceMembershipsAsync(user, "?org_id=")).Length);
        // An organization the caller is not in, or no organization at all: nothing, never someone else's.
        var strangerOrg = await app.InstitutionOfAsync(await _system.CreateWorkspaceAsync(await _system.SignUpAsync()));
        Assert.Empty(await _wacht.WorkspaceMembershipsAsync(user, $"?org_id={strangerOrg}"));
        Assert.Empty(await _wacht.WorkspaceMembershipsAsync(user, "?org_id=not-an-id"));
    }

    [Fact]
    public async Task Organization_memberships_list_the_organization_and_the_fixed_role()
    {
        var owner = await _system.SignUpAsync();
        var admin = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner, "Acme");
        var institutionId = await app.InstitutionOfAsync(workspaceId);
        await app.JoinOrganizationAsync(institutionId, admin.UserId, InstitutionRole.Admin);

        var item = Assert.Single(await _wacht.OrganizationMembershipsAsync(owner));
        Assert.Equal(["id", "organization", "user_id", "roles", "public_metadata", "created_at", "updated_at", "eligibility_restriction"],
            item.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("om_", item.GetProperty("id").GetString());
        Assert.Equal(owner.UserId, item.GetProperty("user_id").GetString());
        AssertShape(item.GetProperty("organization"), s_organization);
        Assert.Equal(2, item.GetProperty("organization").GetProperty("member_count").GetInt32());
        var role = Assert.Single(item.GetProperty("roles").EnumerateArray());
        AssertShape(role, s_organizationRole);
        Assert.Equal(institutionId, role.GetProperty("organization_id").GetString());
        Assert.Equal("Owner", role.GetProperty("name").GetString());
        Assert.Contains("organization:manage", role.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        AssertShape(item.GetProperty("eligibility_restriction"), s_eligibility);

        var adminRole = Assert.Single(Assert.Single(await _wacht.OrganizationMembershipsAsync(admin)).GetProperty("roles").EnumerateArray());
        Assert.Equal("Admin", adminRole.GetProperty("name").GetString());
        // Joining an organization does not make anyone a member of its workspaces (no auto-assigned workspace here).
        Assert.Empty(await _wacht.WorkspaceMembershipsAsync(admin));
    }

    [Fact]
    public async Task Joining_an_organization_lands_the_user_in_its_auto_assigned_workspace()
    {
        var owner = await _system.SignUpAsync();
        var newcomer = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner, "Lobby");
        var institutionId = await app.InstitutionOfAsync(workspaceId);
        (await _system.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { autoAssignedWorkspaceBizId = workspaceId })).AssertOk();

        await app.JoinOrganizationAsync(institutionId, newcomer.UserId);

        var item = Assert.Single(await _wacht.WorkspaceMembershipsAsync(newcomer));
        Assert.Equal(workspaceId, item.GetProperty("workspace").GetProperty("id").GetString());
        Assert.Equal("Member", Assert.Single(item.GetProperty("roles").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(workspaceId, item.GetProperty("organization").GetProperty("auto_assigned_workspace_id").GetString());
        Assert.Equal(2, item.GetProperty("workspace").GetProperty("member_count").GetInt32());
        // The SYSTEM dialect shows the same membership, as an operator-assigned one.
        var systemItem = Assert.Single(await _system.ListMineAsync(newcomer));
        Assert.Equal(workspaceId, systemItem.GetProperty("workspaceBizId").GetString());
        Assert.Equal("ASSIGNED", systemItem.GetProperty("joinSource").GetProperty("code").GetString());
    }
}
