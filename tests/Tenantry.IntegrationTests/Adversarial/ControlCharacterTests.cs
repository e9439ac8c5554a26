using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Adversarial;

/// <summary>
/// Names are single lines of text: NUL, the rest of C0 (tab and line breaks included), DEL and C1
/// are refused with <c>4000</c> naming the field, on both databases (PostgreSQL cannot store NUL at
/// all; SQLite would, and every log, CSV export and terminal that shows the name later would carry
/// it). Descriptions may span lines: tab, LF and CR are kept there, the other controls refused.
/// </summary>
public sealed class ControlCharacterTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId, string InstitutionId)> OwnedWorkspaceAsync(string name = "Clean")
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner, name);
        var institutionId = Assert.Single(await _api.ListMineAsync(owner)).GetProperty("institutionBizId").GetString()!;
        return (owner, workspaceId, institutionId);
    }

    /// <summary>A <c>4000</c> whose problems include this field with the control-character message (a URL may also be reported as not a URL).</summary>
    private static void AssertRefused(ApiResponse response, string field, string language = "en")
    {
        response.AssertValidationError(field);
        var messages = response.Data.EnumerateArray().Where(p => p.GetProperty("field").GetString() == field).Select(p => p.GetProperty("message").GetString());
        Assert.Contains(Catalog.Text(language, "Validation.ControlCharacters"), messages);
    }

    // JSON escapes of the characters: \u0000 NUL, \u0009 tab, \u000a LF, \u001b ESC, \u007f DEL, \u0085 NEL (C1), \u009b CSI (C1).
    public static readonly TheoryData<string> InNames = new() { "\\u0000", "\\u0001", "\\u0009", "\\u000a", "\\u000d", "\\u001b[31m", "\\u001f", "\\u007f", "\\u0085", "\\u009b" };

    [Theory]
    [MemberData(nameof(InNames))]
    public async Task A_display_name_with_a_control_character_is_refused_and_nobody_signs_up(string control)
    {
        var email = SystemApi.NewEmail();
        var response = await _api.PostAsync("/web/v1/auth/sign-up", $$"""{"email":"{{email}}","password":"{{SystemApi.Password}}","displayName":"Ada{{control}}Lovelace"}""");

        AssertRefused(response, "$.displayName");
        (await _api.PostAsync("/web/v1/auth/sign-in", new { email, password = SystemApi.Password })).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
    }

    [Theory]
    [MemberData(nameof(InNames))]
    public async Task An_email_with_a_control_character_is_no_email(string control)
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        var roleId = await _api.RoleIdAsync(owner, workspaceId, "Member");
        var email = $"new{control}hire@example.com";

        (await _api.PostAsync("/web/v1/auth/sign-up", $$"""{"email":"{{email}}","password":"{{SystemApi.Password}}","displayName":"Ada"}"""))
            .AssertValidationError("$.email");
        (await _api.PostAsync($"/web/v1/workspaces/{workspaceId}/invitations", $$"""{"email":"{{email}}","roleBizId":"{{roleId}}"}""", owner.AccessToken))
            .AssertValidationError("$.email");
    }

    [Theory]
    [MemberData(nameof(InNames))]
    public async Task A_workspace_or_institution_name_with_a_control_character_is_refused_and_nothing_is_created(string control)
    {
        var user = await _api.SignUpAsync();

        AssertRefused(await _api.PostAsync("/web/v1/workspaces/self", $$"""{"workspaceName":"Acme{{control}}"}""", user.AccessToken), "$.workspaceName");
        AssertRefused(await _api.PostAsync("/web/v1/workspaces/self", $$"""{"workspaceName":"Acme","institutionName":"{{control}}Acme Inc"}""", user.AccessToken),
            "$.institutionName");

        Assert.Empty(await _api.ListMineAsync(user));
    }

    [Theory]
    [MemberData(nameof(InNames))]
    public async Task Renaming_a_workspace_to_a_name_with_a_control_character_is_refused(string control)
    {
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();

        AssertRefused(await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", $$"""{"workspaceName":"Re{{control}}named"}""", owner.AccessToken), "$.workspaceName");

        Assert.Equal("Clean", Assert.Single(await _api.ListMineAsync(owner)).GetProperty("workspaceName").GetString());
    }

    [Theory]
    [MemberData(nameof(InNames))]
    public async Task A_role_name_with_a_control_character_is_refused_on_create_and_on_edit(string control)
    {
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();
        var roles = $"/web/v1/workspaces/{workspaceId}/roles";

        AssertRefused(await _api.PostAsync(roles, $$"""{"roleName":"Auditor{{control}}","permissions":["audit.read"]}""", owner.AccessToken), "$.roleName");
        var roleId = (await _api.CreateRoleAsync(owner, workspaceId, "Auditor", "audit.read")).AssertOk("1.0.0").GetProperty("roleBizId").GetString();
        AssertRefused(await _api.PatchAsync($"{roles}/{roleId}", $$"""{"roleName":"{{control}}Auditor"}""", owner.AccessToken), "$.roleName");

        Assert.Equal(["Owner", "Member", "Auditor"], (await _api.RolesAsync(owner, workspaceId)).Select(r => r.GetProperty("roleName").GetString()));
    }

    // In descriptions: tab and line breaks are text; the rest of C0, DEL and C1 are not.
    public static readonly TheoryData<string> InDescriptions = new() { "\\u0000", "\\u0007", "\\u000b", "\\u000c", "\\u001b[2J", "\\u007f", "\\u0085" };

    [Theory]
    [MemberData(nameof(InDescriptions))]
    public async Task A_role_description_with_a_control_character_other_than_tab_or_line_breaks_is_refused(string control)
    {
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();
        var roles = $"/web/v1/workspaces/{workspaceId}/roles";

        AssertRefused(await _api.PostAsync(roles, $$"""{"roleName":"Auditor","description":"Reads{{control}}","permissions":["audit.read"]}""", owner.AccessToken),
            "$.description");
        var roleId = (await _api.CreateRoleAsync(owner, workspaceId, "Auditor", "audit.read")).AssertOk("1.0.0").GetProperty("roleBizId").GetString();
        AssertRefused(await _api.PatchAsync($"{roles}/{roleId}", $$"""{"description":"Reads{{control}}"}""", owner.AccessToken), "$.description");

        Assert.Equal(["Owner", "Member", "Auditor"], (await _api.RolesAsync(owner, workspaceId)).Select(r => r.GetProperty("roleName").GetString()));
    }

    [Fact]
    public async Task A_description_keeps_its_tabs_and_line_breaks()
    {
        var (owner, workspaceId, _) = await OwnedWorkspaceAsync();

        var role = (await _api.PostAsync($"/web/v1/workspaces/{workspaceId}/roles",
            new { roleName = "Auditor", description = "Reads the trail.\r\nExports:\tCSV, JSON\n", permissions = new[] { "audit.read" } }, owner.AccessToken)).AssertOk("1.0.0");
        Assert.Equal("Reads the trail.\r\nExports:\tCSV, JSON", role.GetProperty("description").GetString());

        var workspace = (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { description = "Line one\nLine two\twith a tab" })).AssertOk();
        Assert.Equal("Line one\nLine two\twith a tab", workspace.GetProperty("description").GetString());
    }

    [Theory]
    [MemberData(nameof(InDescriptions))]
    public async Task Operator_descriptions_segments_and_names_with_control_characters_are_refused(string control)
    {
        var (owner, workspaceId, institutionId) = await OwnedWorkspaceAsync();

        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", $$"""{"description":"Team{{control}}"}"""), "$.description");
        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", $$"""{"segments":["beta","emea{{control}}"]}"""), "$.segments[1]");
        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", $$"""{"imageUrl":"https://cdn.example.com/{{control}}logo.png"}"""), "$.imageUrl");
        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", $$"""{"name":"Acme{{control}}"}"""), "$.name");

        // Nothing of it was stored.
        var item = Assert.Single(await _api.ListMineAsync(owner));
        Assert.Equal("Clean", item.GetProperty("workspaceName").GetString());
        Assert.DoesNotContain(await app.WithDbAsync(db => Task.FromResult(db.Segments.Where(s => s.InstitutionId == institutionId).Select(s => s.Name).ToList())),
            name => name.Any(char.IsControl));
    }

    [Fact]
    public async Task Segment_and_institution_names_refuse_tabs_and_line_breaks_too()
    {
        var (_, workspaceId, institutionId) = await OwnedWorkspaceAsync();

        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", """{"segments":["be\tta"]}"""), "$.segments[0]");
        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", """{"name":"Acme\nHoldings"}"""), "$.name");
    }

    [Fact]
    public async Task Metadata_holding_nul_is_refused_on_both_databases()
    {
        // PostgreSQL's jsonb cannot hold U+0000 at all; SQLite would store it. Other escaped controls are JSON like any text.
        var (_, workspaceId, institutionId) = await OwnedWorkspaceAsync();

        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", """{"publicMetadata":{"note":"a\u0000b"}}"""), "$.publicMetadata");
        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", """{"privateMetadata":{"\u0000":1}}"""), "$.privateMetadata");
        AssertRefused(await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", """{"publicMetadata":{"deep":[{"x":"\u0000"}]}}"""), "$.publicMetadata");

        var kept = (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", """{"publicMetadata":{"note":"tab\there, bell\u0007"}}""")).AssertOk();
        Assert.Equal("tab\there, bell\u0007", kept.GetProperty("publicMetadata").GetProperty("note").GetString());
    }

    [Fact]
    public async Task The_message_is_localized()
    {
        var user = await _api.SignUpAsync();
        foreach (var language in new[] { "en", "zh", "zh-Hant", "ja", "vi" })
        {
            var response = await _api.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", """{"workspaceName":"A\u0000"}""", user.AccessToken, language);
            AssertRefused(response, "$.workspaceName", language);
        }
    }
}
