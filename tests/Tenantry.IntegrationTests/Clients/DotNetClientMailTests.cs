using Microsoft.Extensions.DependencyInjection;
using Tenantry.Client;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Clients;

/// <summary>
/// Tenantry.Client with the emails a user gets (a server that sends to a fake SMTP server): proving the address with the
/// code, answering invitations with the token from their email, and the operator vouching for an address.
/// </summary>
[Trait("Part", "Clients")]
public sealed class DotNetClientMailTests(MailApp app) : IClassFixture<MailApp>
{
    private ServiceProvider Services() => ClientServices.For(app);

    [Fact]
    public async Task A_user_verifies_the_address_with_the_code_from_the_email()
    {
        await using var services = Services();
        var client = services.GetRequiredService<TenantryClient>();
        var email = SystemApi.NewEmail("sdk-verify");
        var tokens = await client.SignUpAsync(email, SystemApi.Password, "Verifier");
        var me = await client.GetMeAsync();
        Assert.Equal((tokens.UserId, email, false), (me.UserBizId, me.Email, me.EmailVerified));

        var code = (await app.Smtp.VerificationEmailAsync(email)).VerificationCode();
        var wrong = await Assert.ThrowsAsync<TenantryApiException>(() => client.VerifyEmailAsync(code: code == "000000" ? "111111" : "000000"));
        Assert.Equal(("AUTH.EMAIL_VERIFICATION_INVALID", 400), (wrong.Code, wrong.StatusCode));
        Assert.False((await client.GetMeAsync()).EmailVerified);

        Assert.True((await client.VerifyEmailAsync(code: code)).EmailVerified);
        Assert.True((await client.GetMeAsync()).EmailVerified);
        var nothingToSend = await Assert.ThrowsAsync<TenantryApiException>(() => client.ResendVerificationEmailAsync());
        Assert.Equal(("AUTH.EMAIL_ALREADY_VERIFIED", 409), (nothingToSend.Code, nothingToSend.StatusCode));
    }

    [Fact]
    public async Task Invitations_are_accepted_and_declined_with_the_token_from_their_email()
    {
        await using var ownerServices = Services();
        await using var inviteeServices = Services();
        var owner = ownerServices.GetRequiredService<TenantryClient>();
        var invitee = inviteeServices.GetRequiredService<TenantryClient>();
        await owner.SignUpAsync(SystemApi.NewEmail("sdk-owner"), SystemApi.Password, "Owner");
        var workspace = await owner.CreateWorkspaceAsync("Tokens");
        var memberRole = (await owner.ListRolesAsync(workspace.BizId)).Single(r => r.RoleName == "Member");
        var inviteeEmail = SystemApi.NewEmail("sdk-invitee");
        await invitee.SignUpAsync(inviteeEmail, SystemApi.Password, "Invitee");

        var invitation = await owner.InviteAsync(workspace.BizId, inviteeEmail, memberRole.RoleBizId);
        // The address is not verified: without the token the invitation is not theirs to answer.
        var refused = await Assert.ThrowsAsync<TenantryApiException>(() => invitee.AcceptInvitationAsync(invitation.InvitationBizId));
        Assert.True(refused.IsNotFound);
        var token = (await app.Smtp.InvitationEmailAsync(inviteeEmail)).InvitationToken();
        var joined = await invitee.AcceptInvitationAsync(invitation.InvitationBizId, token);
        Assert.Equal(workspace.BizId, joined.WorkspaceBizId);
        Assert.True((await invitee.GetMeAsync()).EmailVerified);

        var secondOwnerEmail = SystemApi.NewEmail("sdk-owner2");
        await using var secondServices = Services();
        var secondOwner = secondServices.GetRequiredService<TenantryClient>();
        await secondOwner.SignUpAsync(secondOwnerEmail, SystemApi.Password, "Second owner");
        var other = await secondOwner.CreateWorkspaceAsync("Declined");
        var otherRole = (await secondOwner.ListRolesAsync(other.BizId)).Single(r => r.RoleName == "Member");
        var declinedInvitation = await secondOwner.InviteAsync(other.BizId, inviteeEmail, otherRole.RoleBizId);
        var secondToken = (await app.Smtp.InvitationEmailAsync(inviteeEmail, 2)).InvitationToken();
        await invitee.DeclineInvitationAsync(declinedInvitation.InvitationBizId, secondToken);
        Assert.DoesNotContain(await invitee.ListMyWorkspacesAsync(), w => w.WorkspaceBizId == other.BizId);
        Assert.DoesNotContain(await invitee.ListMyInvitationsAsync(), i => i.InvitationBizId == declinedInvitation.InvitationBizId);
    }

    [Fact]
    public async Task The_operator_vouches_for_an_address_and_reads_the_accounts_events()
    {
        await using var services = Services();
        var admin = services.GetRequiredService<TenantryAdminClient>();
        var user = await app.System.SignUpAsync(SystemApi.NewEmail("sdk-vouched"));

        var vouched = await admin.SetEmailVerifiedAsync(user.UserId, verified: true);
        Assert.True(vouched.EmailVerified);
        Assert.NotNull(vouched.EmailVerifiedAt);
        Assert.True((await app.System.MeAsync(user)).GetProperty("emailVerified").GetBoolean());
        Assert.False((await admin.SetEmailVerifiedAsync(user.UserId, verified: false)).EmailVerified);

        var events = await admin.GetUserEventsAsync(user.UserId);
        Assert.Equal(["email.unverified", "email.verified"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(("operator", null), (e.Actor, e.ActorUserBizId)));
        var missing = await Assert.ThrowsAsync<TenantryApiException>(() => admin.GetUserEventsAsync("usr_00000000000000000000000000"));
        Assert.True(missing.IsNotFound);
    }
}
