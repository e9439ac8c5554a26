using System.Net;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Operator;

/// <summary>CONTRACT 8: operators read accounts and vouch for (or withdraw) their email addresses; the account's events say so.</summary>
public sealed class OperatorUserTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private static readonly string[] s_userFields = [
        "userBizId", "email", "displayName", "status", "emailVerified", "emailVerifiedAt", "mfaEnabled", "activeSessions", "workspaceCount", "createdAt", "updatedAt",
    ];
    private static readonly string[] s_eventFields = ["eventBizId", "action", "actor", "actorUserBizId", "clientIp", "details", "createdAt"];

    private readonly SystemApi _api = app.System;

    private async Task<JsonElement[]> EventsAsync(string userId) =>
        (await _api.AdminGetAsync($"/admin/v1/users/{userId}/events")).AssertOk().EnumerateArray().ToArray();

    [Fact]
    public async Task An_operator_marks_an_email_verified_and_the_event_names_the_operator()
    {
        var user = await _api.SignUpAsync(displayName: "Vouched For");
        var before = (await _api.AdminGetAsync($"/admin/v1/users/{user.UserId}")).AssertOk();
        Assert.Equal(s_userFields, before.EnumerateObject().Select(p => p.Name));
        Assert.False(before.Flag("emailVerified"));
        Assert.Equal(JsonValueKind.Null, before.GetProperty("emailVerifiedAt").ValueKind);
        Assert.Empty(await EventsAsync(user.UserId));

        var updated = (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", new { emailVerified = true })).AssertOk();

        Assert.Equal(s_userFields, updated.EnumerateObject().Select(p => p.Name));
        Assert.Equal(user.UserId, updated.Text("userBizId"));
        Assert.Equal(user.Email, updated.Text("email"));
        Assert.Equal("Vouched For", updated.Text("displayName"));
        Assert.Equal("ACTIVE", updated.Text("status"));
        Assert.True(updated.Flag("emailVerified"));
        Assert.True(updated.GetProperty("emailVerifiedAt").GetDateTimeOffset() >= before.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True((await _api.MeAsync(user)).Flag("emailVerified"));
        var verified = Assert.Single(await EventsAsync(user.UserId));
        Assert.Equal(s_eventFields, verified.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("aev_", verified.Text("eventBizId"));
        Assert.Equal("email.verified", verified.Text("action"));
        Assert.Equal("operator", verified.Text("actor"));
        Assert.Equal(JsonValueKind.Null, verified.GetProperty("actorUserBizId").ValueKind);
        Assert.Equal(JsonValueKind.Null, verified.GetProperty("clientIp").ValueKind);
        Assert.Equal("operator", verified.GetProperty("details").Text("method"));
        Assert.Equal(user.Email, verified.GetProperty("details").Text("email"));

        // The same again changes and records nothing.
        var again = (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", new { emailVerified = true })).AssertOk();
        Assert.Equal(updated.GetProperty("emailVerifiedAt").GetRawText(), again.GetProperty("emailVerifiedAt").GetRawText());
        Assert.Single(await EventsAsync(user.UserId));
        // {} leaves it alone.
        Assert.True((await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", new { })).AssertOk().Flag("emailVerified"));
    }

    [Fact]
    public async Task An_operator_withdraws_a_verification_and_invitations_by_address_stop_matching()
    {
        var owner = await _api.SignUpVerifiedAsync();
        var ws = await _api.CreateWorkspaceAsync(owner);
        var user = await _api.SignUpVerifiedAsync();
        var invitationId = await _api.InvitedAsync(owner, ws, user.Email, await _api.RoleIdAsync(owner, ws, "Member"));
        Assert.Single(await _api.MyInvitationsAsync(user));

        var withdrawn = (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", new { emailVerified = false })).AssertOk();

        Assert.False(withdrawn.Flag("emailVerified"));
        Assert.Equal(JsonValueKind.Null, withdrawn.GetProperty("emailVerifiedAt").ValueKind);
        Assert.Empty(await _api.MyInvitationsAsync(user));
        (await _api.AcceptAsync(user, invitationId)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        var events = await EventsAsync(user.UserId);
        Assert.Equal(["email.unverified", "email.verified"], events.Select(e => e.Text("action")));
        Assert.All(events, e => Assert.Equal("operator", e.Text("actor")));
        // The account can verify again: a new email is sent.
        (await _api.PostAsync("/web/v1/auth/email/verify/resend", token: user.AccessToken)).AssertOk();
    }

    [Fact]
    public async Task Unknown_users_are_404_and_malformed_bodies_4000()
    {
        foreach (var userId in new[] { "usr_00000000000000000000000000", "garbage", "ws_00000000000000000000000000" })
        {
            (await _api.AdminPatchAsync($"/admin/v1/users/{userId}", new { emailVerified = true })).AssertEnvelope(HttpStatusCode.NotFound, "4040");
            (await _api.AdminGetAsync($"/admin/v1/users/{userId}")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
            (await _api.AdminGetAsync($"/admin/v1/users/{userId}/events")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        }
        var user = await _api.SignUpAsync();
        (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", """{"emailVerified":null}""")).AssertValidationError("$.emailVerified");
        (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", """{"emailVerified":"yes"}""")).AssertValidationError("$.emailVerified");
        (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", """{"emailVerified":1}""")).AssertValidationError("$.emailVerified");
        (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", """[]""")).AssertValidationError("$");
        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));
        Assert.Empty(await EventsAsync(user.UserId));
    }

    [Fact]
    public async Task The_admin_key_is_required_and_user_tokens_do_not_count()
    {
        var user = await _api.SignUpAsync();
        var path = $"/admin/v1/users/{user.UserId}";

        (await _api.AdminPatchAsync(path, new { emailVerified = true }, adminKey: null)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.AdminPatchAsync(path, new { emailVerified = true }, adminKey: "wrong")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.SendAsync(HttpMethod.Patch, path, new { emailVerified = true }, user.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.AdminGetAsync(path, adminKey: null)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.AdminGetAsync(path + "/events", adminKey: "wrong")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");

        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));
    }

    [Fact]
    public async Task The_invitation_transfer_flag_is_written_by_the_owner_and_shown_to_the_operator_but_not_in_list_items()
    {
        var owner = await _api.SignUpAsync();
        var ws = await _api.CreateWorkspaceAsync(owner);

        (await _api.PatchAsync($"/web/v1/workspaces/{ws}", new { policyConfig = new { enforceMfa = false, allowInvitationTransfer = true } }, owner.AccessToken))
            .AssertOk("1.3.0");

        var listed = Assert.Single(await _api.ListMineAsync(owner)).GetProperty("policyConfig");
        Assert.Equal(["ipAllowlist", "enforceMfa"], listed.EnumerateObject().Select(p => p.Name));
        var shown = (await _api.AdminPatchAsync($"/admin/v1/workspaces/{ws}", new { })).AssertOk().GetProperty("policyConfig");
        Assert.Equal(["ipAllowlist", "enforceMfa", "allowInvitationTransfer"], shown.EnumerateObject().Select(p => p.Name));
        Assert.True(shown.Flag("allowInvitationTransfer"));
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}", """{"policyConfig":{"allowInvitationTransfer":"yes"}}""", owner.AccessToken))
            .AssertValidationError("$.policyConfig.allowInvitationTransfer");
        // The operator replaces the whole policy too: left out, the flag is off.
        var byOperator = (await _api.AdminPatchAsync($"/admin/v1/workspaces/{ws}", new { policyConfig = new { ipAllowlist = new[] { "0.0.0.0/0" } } })).AssertOk();
        Assert.False(byOperator.GetProperty("policyConfig").Flag("allowInvitationTransfer"));
    }
}
