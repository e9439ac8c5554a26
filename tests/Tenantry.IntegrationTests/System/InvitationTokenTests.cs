using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Invitations;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// Invitation tokens (issue 13): each invitation email (and each resend) carries a new single-use token; accepting or
/// declining needs it, or a verified address equal to the invited one. The tokens are read from the emails the SMTP
/// server received, as the invitee would.
/// </summary>
public sealed class InvitationTokenTests(MailApp app) : IClassFixture<MailApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId, string MemberRoleId)> OwnerAsync(string name = "Token Works")
    {
        var owner = await _api.SignUpVerifiedAsync(displayName: "Olga Owner");
        var ws = await _api.CreateWorkspaceAsync(owner, name);
        return (owner, ws, await _api.RoleIdAsync(owner, ws, "Member"));
    }

    private async Task<string> TokenAsync(string email, int nth = 1) => (await app.Smtp.InvitationEmailAsync(email, nth)).InvitationToken();

    private Task<InvitationStatus> StatusAsync(string invitationId) =>
        app.WithDbAsync(db => db.Invitations.Where(i => i.Id == invitationId).Select(i => i.Status).SingleAsync());

    [Fact]
    public async Task The_email_carries_the_invitation_id_and_its_token_in_the_accept_link()
    {
        var (owner, ws, memberRole) = await OwnerAsync("Linked");
        var invited = SystemApi.NewEmail("linked");

        var invitationId = await _api.InvitedAsync(owner, ws, invited, memberRole);

        var email = await app.Smtp.InvitationEmailAsync(invited);
        Assert.Equal("You are invited to join Linked", email.Subject);
        var token = email.InvitationToken();
        Assert.Contains($"https://app.example.com/invitations/{invitationId}?token={token}", email.Text());
        Assert.True(token.Length >= 43, token);
        var stored = await app.WithDbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitationId));
        Assert.NotNull(stored.TokenHash);
        Assert.DoesNotContain(token, stored.TokenHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unverified_invitee_accepts_with_the_token_and_that_verifies_the_address()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpAsync(SystemApi.NewEmail("newcomer"));
        var invitationId = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);
        var token = await TokenAsync(invitee.Email);
        Assert.Empty(await _api.MyInvitationsAsync(invitee));
        (await _api.AcceptAsync(invitee, invitationId)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "2.0.0");

        var item = (await _api.AcceptAsync(invitee, invitationId, token)).AssertOk("2.0.0");

        Assert.Equal(ws, item.Text("workspaceBizId"));
        Assert.Equal("INVITED", item.Code("joinSource"));
        Assert.True((await _api.MeAsync(invitee)).Flag("emailVerified"));
        var events = await app.WithDbAsync(db => db.AccountEvents.AsNoTracking().Where(e => e.UserId == invitee.UserId).ToListAsync());
        Assert.Equal("invitation", JsonDocument.Parse(Assert.Single(events).Details).RootElement.Text("method"));
        var accepted = (await _api.AuditAsync(owner, ws)).Item("action", "invitation.accepted");
        Assert.Equal(invitee.UserId, accepted.Text("actorUserBizId"));
        Assert.Equal("token", accepted.GetProperty("details").Text("via"));
        // Accepting again answers the same item; the token is spent for anything else.
        Assert.Equal(item.GetRawText(), (await _api.AcceptAsync(invitee, invitationId, token)).AssertOk("2.0.0").GetRawText());
        Assert.Equal(InvitationStatus.Accepted, await StatusAsync(invitationId));
    }

    [Fact]
    public async Task A_verified_invitee_accepts_by_address_and_sees_the_invitation_in_mine()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpAsync(SystemApi.NewEmail("checked"));
        var invitationId = await _api.InvitedAsync(owner, ws, invitee.Email.ToUpperInvariant(), memberRole);
        Assert.Empty(await _api.MyInvitationsAsync(invitee));

        // The code from the verification email proves the address; then the invitation is theirs by address.
        var code = (await app.Smtp.VerificationEmailAsync(invitee.Email)).VerificationCode();
        (await _api.PostAsync("/web/v1/auth/email/verify", new { code }, invitee.AccessToken)).AssertOk();

        Assert.Equal(invitationId, Assert.Single(await _api.MyInvitationsAsync(invitee)).Text("invitationBizId"));
        (await _api.AcceptAsync(invitee, invitationId, "not-the-token")).AssertOk("2.0.0");
        var accepted = (await _api.AuditAsync(owner, ws)).Item("action", "invitation.accepted");
        Assert.Equal("verified_email", accepted.GetProperty("details").Text("via"));
    }

    [Fact]
    public async Task A_token_for_another_address_is_4040_unless_the_workspace_allows_transfer_and_then_it_binds()
    {
        var (owner, ws, memberRole) = await OwnerAsync("Transferable");
        var invited = SystemApi.NewEmail("forwarded");
        var invitationId = await _api.InvitedAsync(owner, ws, invited, memberRole);
        var token = await TokenAsync(invited);
        var colleague = await _api.SignUpAsync(SystemApi.NewEmail("colleague"));

        var refused = await _api.AcceptAsync(colleague, invitationId, token);
        refused.AssertEnvelope(HttpStatusCode.NotFound, "4040", "2.0.0");
        (await _api.DeclineAsync(colleague, invitationId, token)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        // Exactly the answer for an invitation that does not exist.
        var nowhere = await _api.AcceptAsync(colleague, "inv_00000000000000000000000000", token);
        Assert.Equal((refused.Status, refused.Code, refused.MessageText), (nowhere.Status, nowhere.Code, nowhere.MessageText));
        Assert.Equal(InvitationStatus.Pending, await StatusAsync(invitationId));
        Assert.Empty(await _api.ListMineAsync(colleague));

        (await _api.PatchAsync($"/web/v1/workspaces/{ws}", new { policyConfig = new { allowInvitationTransfer = true } }, owner.AccessToken)).AssertOk();
        var policyChange = (await _api.AuditAsync(owner, ws)).Item("action", "policy.updated").GetProperty("details");
        Assert.True(policyChange.GetProperty("after").Flag("allowInvitationTransfer"));

        var item = (await _api.AcceptAsync(colleague, invitationId, token)).AssertOk("2.0.0");
        Assert.Equal(ws, item.Text("workspaceBizId"));
        var members = await _api.MembersAsync(owner, ws);
        Assert.Equal(colleague.Email, members.Item("userBizId", colleague.UserId).Text("email"));
        var accepted = (await _api.AuditAsync(owner, ws)).Item("action", "invitation.accepted");
        Assert.Equal(invited, accepted.GetProperty("details").Text("transferredFrom"));
        // Taking someone else's invitation proves nothing about the taker's own address.
        Assert.False((await _api.MeAsync(colleague)).Flag("emailVerified"));
        // The invited address's owner, verified later, finds it taken.
        var addressee = await _api.SignUpVerifiedAsync(invited);
        (await _api.AcceptAsync(addressee, invitationId)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");
    }

    [Fact]
    public async Task Turning_transfer_off_again_closes_it()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}", new { policyConfig = new { allowInvitationTransfer = true } }, owner.AccessToken)).AssertOk();
        var invited = SystemApi.NewEmail("closed");
        var invitationId = await _api.InvitedAsync(owner, ws, invited, memberRole);
        var token = await TokenAsync(invited);
        // A policy written without the flag turns it off (the whole policy is replaced).
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}", new { policyConfig = new { enforceMfa = false } }, owner.AccessToken)).AssertOk();
        var colleague = await _api.SignUpVerifiedAsync();

        (await _api.AcceptAsync(colleague, invitationId, token)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Equal(InvitationStatus.Pending, await StatusAsync(invitationId));
    }

    [Fact]
    public async Task A_resend_replaces_the_token_and_the_old_one_opens_nothing()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpAsync(SystemApi.NewEmail("resent"));
        var invitationId = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);
        var old = await TokenAsync(invitee.Email);

        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{invitationId}/resend", token: owner.AccessToken)).AssertOk();
        var fresh = await TokenAsync(invitee.Email, 2);

        Assert.NotEqual(old, fresh);
        (await _api.AcceptAsync(invitee, invitationId, old)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.DeclineAsync(invitee, invitationId, old)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.False((await _api.MeAsync(invitee)).Flag("emailVerified"));
        (await _api.AcceptAsync(invitee, invitationId, fresh)).AssertOk("2.0.0");
    }

    [Fact]
    public async Task Decline_needs_the_token_or_the_verified_address_like_accept()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpAsync(SystemApi.NewEmail("decliner"));
        var invitationId = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);
        var token = await TokenAsync(invitee.Email);
        var stranger = await _api.SignUpVerifiedAsync();

        (await _api.DeclineAsync(invitee, invitationId)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.DeclineAsync(invitee, invitationId, "guess")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.DeclineAsync(stranger, invitationId)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.DeclineAsync(stranger, invitationId, token)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Equal(InvitationStatus.Pending, await StatusAsync(invitationId));

        (await _api.DeclineAsync(invitee, invitationId, token)).AssertOk("1.0.0");

        Assert.Equal(InvitationStatus.Declined, await StatusAsync(invitationId));
        // The token proved the mailbox here too.
        Assert.True((await _api.MeAsync(invitee)).Flag("emailVerified"));
        (await _api.DeclineAsync(invitee, invitationId)).AssertOk();
        (await _api.AcceptAsync(invitee, invitationId, token)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");
    }

    [Fact]
    public async Task A_token_opens_only_its_own_invitation()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var (otherOwner, otherWs, otherRole) = await OwnerAsync("Elsewhere");
        var invitee = await _api.SignUpAsync(SystemApi.NewEmail("two-invites"));
        var here = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);
        var tokenHere = await TokenAsync(invitee.Email);
        var there = await _api.InvitedAsync(otherOwner, otherWs, invitee.Email, otherRole);

        (await _api.AcceptAsync(invitee, there, tokenHere)).AssertEnvelope(HttpStatusCode.NotFound, "4040");

        Assert.Equal(InvitationStatus.Pending, await StatusAsync(there));
        (await _api.AcceptAsync(invitee, here, tokenHere)).AssertOk();
    }

    [Fact]
    public async Task A_malformed_answer_body_is_4000_and_never_a_500()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpAsync(SystemApi.NewEmail("malformed"));
        var invitationId = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        (await _api.PostAsync($"/web/v1/tenant/invitations/{invitationId}/accept", """{"token":5}""", invitee.AccessToken)).AssertValidationError("$.token");
        (await _api.PostAsync($"/web/v1/tenant/invitations/{invitationId}/decline", """{"token":""" , invitee.AccessToken)).AssertEnvelope(HttpStatusCode.BadRequest, "4000");
        (await _api.PostAsync($"/web/v1/tenant/invitations/{invitationId}/accept", new { token = new string('x', 5000) }, invitee.AccessToken))
            .AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Equal(InvitationStatus.Pending, await StatusAsync(invitationId));
    }
}
