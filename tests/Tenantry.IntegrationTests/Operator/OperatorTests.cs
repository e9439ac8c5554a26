using System.Net;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Operator;

/// <summary>CONTRACT 7: the operator API, and the eligibility it drives in the SYSTEM list.</summary>
public sealed class OperatorTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId, string InstitutionId)> OwnedWorkspaceAsync()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        var institutionId = Assert.Single(await _api.ListMineAsync(owner)).GetProperty("institutionBizId").GetString()!;
        return (owner, workspaceId, institutionId);
    }

    [Fact]
    public async Task The_admin_key_is_required_and_user_tokens_do_not_count()
    {
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();
        var body = new { workspaceStatus = "SUSPENDED" };

        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", body, adminKey: null)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", body, adminKey: "wrong")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.SendAsync(HttpMethod.Patch, $"/admin/v1/workspaces/{workspaceId}", body, owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        Assert.True(Assert.Single(await _api.ListMineAsync(owner)).GetProperty("enterable").GetBoolean());
    }

    [Fact]
    public async Task Unknown_ids_are_404()
    {
        (await _api.AdminPatchAsync("/admin/v1/workspaces/ws_00000000000000000000000000", new { workspaceStatus = "SUSPENDED" }))
            .AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.AdminPatchAsync("/admin/v1/institutions/inst_00000000000000000000000000", new { enforceMfa = true }))
            .AssertEnvelope(HttpStatusCode.NotFound, "4040");
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();
        // A user who is not a member, whether the id names another account, nobody, or nothing id-shaped: 404, as in the SYSTEM dialect.
        var stranger = await _api.SignUpAsync();
        foreach (var userId in new[] { "usr_00000000000000000000000000", stranger.UserId, "garbage" })
        {
            (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}/members/{userId}", new { status = "INACTIVE" }))
                .AssertEnvelope(HttpStatusCode.NotFound, "4040");
        }
        Assert.True(Assert.Single(await _api.ListMineAsync(owner)).GetProperty("enterable").GetBoolean());
    }

    [Fact]
    public async Task Suspension_makes_the_workspace_neither_enterable_nor_eligible_but_keeps_the_default()
    {
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();

        var suspended = (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        Assert.Equal("SUSPENDED", suspended.GetProperty("workspaceStatus").GetProperty("code").GetString());

        var item = Assert.Single(await _api.ListMineAsync(owner));
        Assert.False(item.GetProperty("enterable").GetBoolean());
        Assert.False(item.GetProperty("defaultEligible").GetBoolean());
        Assert.True(item.GetProperty("isDefault").GetBoolean());
        // Members, owners included, can no longer use it; the operator still sees and manages it.
        var refused = await _api.GetAsync($"/web/v1/workspaces/{workspaceId}", owner.AccessToken);
        refused.AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.NOT_ENTERABLE", "1.3.0");
        Assert.Equal("WORKSPACE_SUSPENDED", refused.Data.GetProperty("reason").GetString());

        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "ACTIVE" })).AssertOk();
        Assert.True(Assert.Single(await _api.ListMineAsync(owner)).GetProperty("enterable").GetBoolean());
    }

    [Fact]
    public async Task An_inactive_membership_is_neither_enterable_nor_eligible()
    {
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();
        var member = await _api.SignUpAsync();
        await app.AddMemberAsync(workspaceId, member.UserId);

        var changed = (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}/members/{member.UserId}", new { status = "INACTIVE" })).AssertOk();
        Assert.Equal("INACTIVE", changed.GetProperty("status").GetString());

        var item = Assert.Single(await _api.ListMineAsync(member));
        Assert.False(item.GetProperty("enterable").GetBoolean());
        Assert.False(item.GetProperty("defaultEligible").GetBoolean());
        // The owner's own membership is untouched.
        Assert.True(Assert.Single(await _api.ListMineAsync(owner)).GetProperty("enterable").GetBoolean());
        // An inactive member is still a member, but may not use the workspace.
        var refused = await _api.GetAsync($"/web/v1/workspaces/{workspaceId}", member.AccessToken);
        refused.AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.NOT_ENTERABLE");
        Assert.Equal("MEMBERSHIP_INACTIVE", refused.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_institution_ip_allowlist_is_checked_against_the_trusted_client_ip()
    {
        var (owner, _, institutionId) = await OwnedWorkspaceAsync();
        var updated = (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { ipAllowlist = new[] { "203.0.113.0/24", "2001:db8::/32" } })).AssertOk();
        Assert.Equal(["203.0.113.0/24", "2001:db8::/32"], updated.GetProperty("ipAllowlist").EnumerateArray().Select(e => e.GetString()));

        var outside = Assert.Single(await _api.ListMineAsync(owner, clientIp: "198.51.100.7"));
        Assert.False(outside.GetProperty("enterable").GetBoolean());
        Assert.True(outside.GetProperty("defaultEligible").GetBoolean());
        Assert.True(Assert.Single(await _api.ListMineAsync(owner, clientIp: "203.0.113.77")).GetProperty("enterable").GetBoolean());
        Assert.True(Assert.Single(await _api.ListMineAsync(owner, clientIp: "2001:db8::1")).GetProperty("enterable").GetBoolean());
    }

    [Fact]
    public async Task Workspace_and_institution_allowlists_must_both_admit_the_client()
    {
        var (owner, workspaceId, institutionId) = await OwnedWorkspaceAsync();
        await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { ipAllowlist = new[] { "203.0.113.0/24" } });
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.128/25" } } })).AssertOk();

        Assert.False(Assert.Single(await _api.ListMineAsync(owner, clientIp: "203.0.113.5")).GetProperty("enterable").GetBoolean());
        Assert.True(Assert.Single(await _api.ListMineAsync(owner, clientIp: "203.0.113.200")).GetProperty("enterable").GetBoolean());
    }

    [Fact]
    public async Task Enforced_mfa_makes_a_password_session_not_enterable()
    {
        var (owner, _, institutionId) = await OwnedWorkspaceAsync();
        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { enforceMfa = true })).AssertOk();

        var item = Assert.Single(await _api.ListMineAsync(owner));
        Assert.False(item.GetProperty("enterable").GetBoolean());
        Assert.True(item.GetProperty("defaultEligible").GetBoolean());
    }

    [Fact]
    public async Task Workspace_policy_can_enforce_mfa_on_its_own()
    {
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { enforceMfa = true } })).AssertOk();
        Assert.False(Assert.Single(await _api.ListMineAsync(owner)).GetProperty("enterable").GetBoolean());
    }

    [Fact]
    public async Task Metadata_presentation_fields_and_segments()
    {
        var (_, workspaceId, _) = await OwnedWorkspaceAsync();
        var updated = (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new
        {
            publicMetadata = new { plan = "pro", seats = 25 },
            privateMetadata = new { crmId = "C-42" },
            description = "The team's space",
            imageUrl = "https://cdn.example.com/logo.png",
            slug = "the-team",
            segments = new[] { "beta", "emea", "beta" },
        })).AssertOk();

        Assert.Equal("pro", updated.GetProperty("publicMetadata").GetProperty("plan").GetString());
        Assert.Equal("C-42", updated.GetProperty("privateMetadata").GetProperty("crmId").GetString());
        Assert.Equal("the-team", updated.GetProperty("slug").GetString());
        Assert.Equal(["beta", "emea"], updated.GetProperty("segments").EnumerateArray().Select(s => s.GetString()));

        var replaced = (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { segments = new[] { "emea", "apac" }, publicMetadata = (object?)null })).AssertOk();
        Assert.Equal(["apac", "emea"], replaced.GetProperty("segments").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("{}", replaced.GetProperty("publicMetadata").GetRawText());
        Assert.Equal("C-42", replaced.GetProperty("privateMetadata").GetProperty("crmId").GetString());
    }

    [Theory]
    [InlineData("""{"workspaceStatus":"PAUSED"}""", "$.workspaceStatus")]
    [InlineData("""{"workspaceStatus":null}""", "$.workspaceStatus")]
    [InlineData("""{"publicMetadata":[1,2]}""", "$.publicMetadata")]
    [InlineData("""{"privateMetadata":"text"}""", "$.privateMetadata")]
    [InlineData("""{"slug":"Not A Slug"}""", "$.slug")]
    [InlineData("""{"imageUrl":"javascript:alert(1)"}""", "$.imageUrl")]
    [InlineData("""{"segments":[""]}""", "$.segments[0]")]
    [InlineData("""{"policyConfig":{"ipAllowlist":["300.1.1.1"]}}""", "$.policyConfig.ipAllowlist[0]")]
    public async Task Operator_workspace_validation(string body, string field)
    {
        var (_, workspaceId, _) = await OwnedWorkspaceAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", body)).AssertValidationError(field);
    }

    [Fact]
    public async Task A_slug_taken_in_the_institution_is_refused()
    {
        var (_, workspaceId, institutionId) = await OwnedWorkspaceAsync();
        var sibling = await app.WithDbAsync(async db =>
        {
            var workspace = Domain.Workspaces.Workspace.Create(institutionId, "Sibling", Domain.Workspaces.WorkspaceKind.Sandbox, "UTC", DateTimeOffset.UtcNow);
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            return workspace.Id;
        });

        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { slug = "taken" })).AssertOk();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{sibling}", new { slug = "taken" })).AssertValidationError("$.slug");
    }

    [Fact]
    public async Task Institution_updates_and_validation()
    {
        var (_, workspaceId, institutionId) = await OwnedWorkspaceAsync();
        var (_, foreignWorkspace, _) = await OwnedWorkspaceAsync();

        var updated = (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new
        {
            name = "Acme Holdings",
            slug = "acme-holdings-" + Guid.NewGuid().ToString("N")[..6],
            publicMetadata = new { tier = "gold" },
            autoAssignedWorkspaceBizId = workspaceId,
        })).AssertOk();
        Assert.Equal("Acme Holdings", updated.GetProperty("name").GetString());
        Assert.Equal(workspaceId, updated.GetProperty("autoAssignedWorkspaceBizId").GetString());
        Assert.Equal("gold", updated.GetProperty("publicMetadata").GetProperty("tier").GetString());

        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { autoAssignedWorkspaceBizId = foreignWorkspace }))
            .AssertValidationError("$.autoAssignedWorkspaceBizId");
        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { ipAllowlist = new[] { "nope" } }))
            .AssertValidationError("$.ipAllowlist[0]");
        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", """{"enforceMfa":null}"""))
            .AssertValidationError("$.enforceMfa");
        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", """{"name":""}"""))
            .AssertValidationError("$.name");
    }
}

/// <summary>A server without an admin key: the operator API does not exist.</summary>
public sealed class NoAdminKeyApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:AdminApiKey"] = "";
}

public sealed class OperatorDisabledTests(NoAdminKeyApp app) : IClassFixture<NoAdminKeyApp>
{
    [Fact]
    public async Task Without_a_configured_key_the_operator_api_answers_404()
    {
        var response = await app.System.AdminPatchAsync("/admin/v1/institutions/inst_00000000000000000000000000", new { enforceMfa = true });
        response.AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Equal(JsonValueKind.Null, response.Data.ValueKind);
    }
}
