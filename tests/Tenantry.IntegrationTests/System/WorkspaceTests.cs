using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>The foundation's workspace endpoints: list (seed 000), self-create, detail (seed 001), update.</summary>
public sealed class WorkspaceTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private static readonly string[] s_listItemFields =
    [
        "userBizId", "workspaceBizId", "workspaceName", "workspaceKind", "institutionBizId", "workspaceRoleBizId", "workspaceRoleName",
        "joinSource", "isOwner", "isDefault", "enterable", "defaultEligible", "policyConfig", "createdAt", "updatedAt",
    ];

    private static readonly string[] s_detailFields =
    [
        "bizId", "institutionBizId", "entityBizId", "workspaceName", "workspaceTimezone", "workspaceStatus", "workspaceKind", "extraData",
        "createdAt", "updatedAt",
    ];

    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task A_new_user_has_no_workspaces()
    {
        var user = await _api.SignUpAsync();
        Assert.Empty(await _api.ListMineAsync(user));
        (await _api.GetAsync("/web/v1/tenant/workspaces/mine", user.AccessToken)).AssertOk("2.0.0");
    }

    [Fact]
    public async Task Self_create_answers_the_seed_001_detail()
    {
        var user = await _api.SignUpAsync();
        var response = await _api.PostAsync("/web/v1/workspaces/self",
            new { workspaceName = "  Ada Labs  ", workspaceKind = "SANDBOX", workspaceTimezone = "Asia/Tokyo", institutionName = "Ada Inc" }, user.AccessToken);

        var detail = response.AssertOk("1.3.0");
        Assert.Equal(s_detailFields, detail.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("ws_", detail.GetProperty("bizId").GetString());
        Assert.StartsWith("inst_", detail.GetProperty("institutionBizId").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("entityBizId").ValueKind);
        Assert.Equal("Ada Labs", detail.GetProperty("workspaceName").GetString());
        Assert.Equal("Asia/Tokyo", detail.GetProperty("workspaceTimezone").GetString());
        AssertEnumRef(detail.GetProperty("workspaceStatus"), 10010701, "ACTIVE");
        AssertEnumRef(detail.GetProperty("workspaceKind"), 10010802, "SANDBOX");
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("extraData").ValueKind);
        AssertTimestamp(detail.GetProperty("createdAt"));

        var institutionName = await app.WithDbAsync(db => db.Institutions.Where(i => i.Id == detail.GetProperty("institutionBizId").GetString()).Select(i => i.Name).SingleAsync());
        Assert.Equal("Ada Inc", institutionName);
    }

    [Fact]
    public async Task The_list_item_has_exactly_the_seed_000_fields()
    {
        var user = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(user, "Primary Workspace");

        var item = Assert.Single(await _api.ListMineAsync(user));

        Assert.Equal(s_listItemFields, item.EnumerateObject().Select(p => p.Name));
        Assert.Equal(user.UserId, item.GetProperty("userBizId").GetString());
        Assert.Equal(workspaceId, item.GetProperty("workspaceBizId").GetString());
        Assert.Equal("Primary Workspace", item.GetProperty("workspaceName").GetString());
        AssertEnumValue(item.GetProperty("workspaceKind"), "LIVE", 10010801, "Live", "Production workspace");
        Assert.StartsWith("inst_", item.GetProperty("institutionBizId").GetString());
        Assert.StartsWith("role_", item.GetProperty("workspaceRoleBizId").GetString());
        Assert.Equal("Owner", item.GetProperty("workspaceRoleName").GetString());
        AssertEnumValue(item.GetProperty("joinSource"), "CREATED", 10040101, "Created", "Created the workspace");
        Assert.True(item.GetProperty("isOwner").GetBoolean());
        Assert.True(item.GetProperty("isDefault").GetBoolean());
        Assert.True(item.GetProperty("enterable").GetBoolean());
        Assert.True(item.GetProperty("defaultEligible").GetBoolean());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("policyConfig").ValueKind);
        AssertTimestamp(item.GetProperty("createdAt"));
        AssertTimestamp(item.GetProperty("updatedAt"));
    }

    [Fact]
    public async Task Both_list_paths_answer_the_same_items()
    {
        var user = await _api.SignUpAsync();
        await _api.CreateWorkspaceAsync(user);
        var system = (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertOk("2.0.0");
        var tenant = (await _api.GetAsync("/web/v1/tenant/workspaces/mine", user.AccessToken)).AssertOk("2.0.0");
        Assert.Equal(system.GetRawText(), tenant.GetRawText());
    }

    [Fact]
    public async Task A_second_self_created_workspace_is_refused()
    {
        var user = await _api.SignUpAsync();
        await _api.CreateWorkspaceAsync(user);

        var second = await _api.PostAsync("/web/v1/workspaces/self", new { workspaceName = "Another" }, user.AccessToken);

        second.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ALREADY_OWNS_WORKSPACE", "1.3.0");
        Assert.Single(await _api.ListMineAsync(user));
    }

    [Fact]
    public async Task Concurrent_self_creates_make_exactly_one_workspace()
    {
        var user = await _api.SignUpAsync();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            _api.PostAsync("/web/v1/workspaces/self", new { workspaceName = $"Race {i}" }, user.AccessToken)));

        Assert.Single(attempts, a => a.Status == HttpStatusCode.OK);
        Assert.All(attempts.Where(a => a.Status != HttpStatusCode.OK),
            a => a.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ALREADY_OWNS_WORKSPACE"));
        Assert.Equal(1, await app.CountAsync<Domain.Workspaces.Workspace>(q => q.Where(w => w.SelfCreatedBy == user.UserId)));
        Assert.Equal(1, await app.CountAsync<Domain.Institutions.Institution>(q => q.Where(i => i.OwnerUserId == user.UserId)));
        var item = Assert.Single(await _api.ListMineAsync(user));
        Assert.True(item.GetProperty("isDefault").GetBoolean());
    }

    [Theory]
    [InlineData("""{"workspaceName":""}""", "$.workspaceName")]
    [InlineData("""{}""", "$.workspaceName")]
    [InlineData("""{"workspaceName":"A","workspaceKind":"PRODUCTION"}""", "$.workspaceKind")]
    [InlineData("""{"workspaceName":"A","workspaceKind":"live"}""", "$.workspaceKind")]
    [InlineData("""{"workspaceName":"A","workspaceTimezone":"Mars/Olympus_Mons"}""", "$.workspaceTimezone")]
    [InlineData("""{"workspaceName":"A","workspaceTimezone":"Pacific Standard Time"}""", "$.workspaceTimezone")]
    [InlineData("""{"workspaceName":"A","institutionName":""}""", "$.institutionName")]
    public async Task Self_create_validation(string body, string field)
    {
        var user = await _api.SignUpAsync();
        (await _api.PostAsync("/web/v1/workspaces/self", body, user.AccessToken)).AssertValidationError(field);
        Assert.Empty(await _api.ListMineAsync(user));
    }

    [Fact]
    public async Task A_300_character_name_is_refused_with_the_limit_in_the_message()
    {
        var user = await _api.SignUpAsync();
        var message = (await _api.PostAsync("/web/v1/workspaces/self", new { workspaceName = new string('n', 300) }, user.AccessToken))
            .AssertValidationError("$.workspaceName");
        Assert.Equal("Must be at most 100 characters", message);
    }

    [Fact]
    public async Task Members_read_the_detail()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Readable");

        var detail = (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}", owner.AccessToken)).AssertOk("1.3.0");

        Assert.Equal(workspaceId, detail.GetProperty("bizId").GetString());
        Assert.Equal("UTC", detail.GetProperty("workspaceTimezone").GetString());
    }

    [Fact]
    public async Task The_owner_updates_name_timezone_extra_data_and_policy()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);

        var updated = (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new
        {
            workspaceName = "Renamed",
            workspaceTimezone = "America/New_York",
            extraData = """{"theme":"dark","beta":true}""",
            policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24", "198.51.100.7" }, enforceMfa = false },
        }, owner.AccessToken)).AssertOk("1.3.0");

        Assert.Equal("Renamed", updated.GetProperty("workspaceName").GetString());
        Assert.Equal("America/New_York", updated.GetProperty("workspaceTimezone").GetString());
        Assert.Equal("""{"theme":"dark","beta":true}""", updated.GetProperty("extraData").GetString());
        var item = Assert.Single(await _api.ListMineAsync(owner));
        var policy = item.GetProperty("policyConfig");
        Assert.Equal(["203.0.113.0/24", "198.51.100.7/32"], policy.GetProperty("ipAllowlist").EnumerateArray().Select(e => e.GetString()));
        Assert.False(policy.GetProperty("enforceMfa").GetBoolean());
        Assert.Equal("Renamed", item.GetProperty("workspaceName").GetString());
    }

    [Fact]
    public async Task Patch_leaves_absent_fields_alone_and_null_clears()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Keep Me");
        // A policy that admits the owner's own request (the test client's address).
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { extraData = "[1,2]", policyConfig = new { ipAllowlist = new[] { "198.51.100.0/24" } } }, owner.AccessToken)).AssertOk();

        var onlyTimezone = (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceTimezone = "Europe/Berlin" }, owner.AccessToken)).AssertOk();
        Assert.Equal("Keep Me", onlyTimezone.GetProperty("workspaceName").GetString());
        Assert.Equal("[1,2]", onlyTimezone.GetProperty("extraData").GetString());

        var cleared = (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", """{"extraData":null,"policyConfig":null}""", owner.AccessToken)).AssertOk();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("extraData").ValueKind);
        Assert.Equal(JsonValueKind.Null, Assert.Single(await _api.ListMineAsync(owner)).GetProperty("policyConfig").ValueKind);
    }

    [Theory]
    [InlineData("""{"workspaceTimezone":"Nowhere/Special"}""", "$.workspaceTimezone")]
    [InlineData("""{"workspaceTimezone":null}""", "$.workspaceTimezone")]
    [InlineData("""{"workspaceName":null}""", "$.workspaceName")]
    [InlineData("""{"extraData":"{not json"}""", "$.extraData")]
    [InlineData("""{"extraData":{"object":"not a string"}}""", "$.extraData")]
    [InlineData("""{"policyConfig":{"ipAllowlist":["10.0.0.0/33"]}}""", "$.policyConfig.ipAllowlist[0]")]
    [InlineData("""{"policyConfig":{"ipAllowlist":["10.0.0.0/8","not-an-ip"]}}""", "$.policyConfig.ipAllowlist[1]")]
    [InlineData("""{"policyConfig":{"ipAllowlist":["10.0.0.1/8"]}}""", "$.policyConfig.ipAllowlist[0]")]
    [InlineData("""{"policyConfig":{"ipAllowlist":"10.0.0.0/8"}}""", "$.policyConfig.ipAllowlist")]
    [InlineData("""{"policyConfig":[]}""", "$.policyConfig")]
    public async Task Patch_validation(string body, string field)
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Unchanged");

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", body, owner.AccessToken)).AssertValidationError(field);

        var detail = (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}", owner.AccessToken)).AssertOk();
        Assert.Equal("Unchanged", detail.GetProperty("workspaceName").GetString());
        Assert.Equal("UTC", detail.GetProperty("workspaceTimezone").GetString());
    }

    [Fact]
    public async Task A_plain_member_reads_but_cannot_update()
    {
        var owner = await _api.SignUpAsync();
        var member = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Shared");
        await app.AddMemberAsync(workspaceId, member.UserId);

        (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}", member.AccessToken)).AssertOk("1.3.0");
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Mine now" }, member.AccessToken))
            .AssertEnvelope(HttpStatusCode.Forbidden, "4030", "1.3.0");
        var item = Assert.Single(await _api.ListMineAsync(member));
        Assert.False(item.GetProperty("isOwner").GetBoolean());
        Assert.Equal("Member", item.GetProperty("workspaceRoleName").GetString());
        // A member who got here first without a default gets none implicitly: only create and accept set it.
        Assert.False(item.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task Validation_runs_after_authorization()
    {
        var owner = await _api.SignUpAsync();
        var member = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        await app.AddMemberAsync(workspaceId, member.UserId);
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", "{\"workspaceTimezone\":\"bogus\"}", member.AccessToken))
            .AssertEnvelope(HttpStatusCode.Forbidden, "4030");
    }

    private static void AssertEnumRef(JsonElement e, int value, string code)
    {
        Assert.Equal(["value", "name", "code"], e.EnumerateObject().Select(p => p.Name));
        Assert.Equal(value, e.GetProperty("value").GetInt32());
        Assert.Equal(code, e.GetProperty("name").GetString());
        Assert.Equal(code, e.GetProperty("code").GetString());
    }

    private static void AssertEnumValue(JsonElement e, string code, int value, string label, string description)
    {
        Assert.Equal(["code", "value", "label", "description"], e.EnumerateObject().Select(p => p.Name));
        Assert.Equal(code, e.GetProperty("code").GetString());
        Assert.Equal(value, e.GetProperty("value").GetInt32());
        Assert.Equal(label, e.GetProperty("label").GetString());
        Assert.Equal(description, e.GetProperty("description").GetString());
    }

    private static void AssertTimestamp(JsonElement e)
    {
        var text = e.GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", text);
        Assert.InRange(DateTimeOffset.Parse(text, global::System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
