using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Invitations;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Adversarial;

/// <summary>
/// Issue 13, section 1: an invitation went to whoever signed up with its email first. Sign-up never proved that the
/// person owns the address, and invitations were matched on the stored email alone. Now an address counts only once
/// verified, and an invitation's token (from its email) is the other way in; neither can be guessed.
/// </summary>
public sealed class InvitationTakeoverTests(MailApp app) : IClassFixture<MailApp>
{
    private readonly SystemApi _api = app.System;

    private static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<(TestUser Owner, string WorkspaceId, string PowerfulRole)> VictimAsync()
    {
        var owner = await _api.SignUpVerifiedAsync(displayName: "Victim Owner");
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Victim Corp");
        var powerful = (await _api.CreateRoleAsync(owner, workspaceId, "Admins", "members.read", "members.invite", "members.remove", "roles.manage"))
            .AssertOk().Text("roleBizId");
        return (owner, workspaceId, powerful);
    }

    private Task<string> SnapshotAsync(string workspaceId) => app.WithDbAsync(async db => string.Join(",",
        await db.WorkspaceMemberships.AsNoTracking().Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.UserId).Select(m => m.UserId).ToListAsync())
        + "|" + string.Join(",", await db.Invitations.AsNoTracking().Where(i => i.WorkspaceId == workspaceId).OrderBy(i => i.Id)
            .Select(i => i.Id + ":" + i.Status + ":" + i.TokenHash).ToListAsync()));

    [Fact]
    public async Task Signing_up_with_an_invited_address_does_not_hand_over_the_invitation()
    {
        var (owner, workspaceId, powerful) = await VictimAsync();
        var invited = $"new.hire-{Guid.NewGuid():N}@victim-corp.example";
        var invitationId = await _api.InvitedAsync(owner, workspaceId, invited, powerful);

        // Anyone signs up with the invited address (in another case): the server cannot know they own it.
        var attacker = await _api.SignUpAsync(invited.ToUpperInvariant(), "Not The New Hire");

        Assert.Empty(await _api.MyInvitationsAsync(attacker));
        (await _api.AcceptAsync(attacker, invitationId)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "2.0.0");
        (await _api.DeclineAsync(attacker, invitationId)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/members", attacker.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Empty(await _api.ListMineAsync(attacker));
        // The invitation is still there for the real new hire, whose mailbox has the token.
        var pending = (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/invitations", owner.AccessToken)).AssertOk();
        Assert.Equal(invitationId, Assert.Single(pending.EnumerateArray()).Text("invitationBizId"));
        Assert.Equal("PENDING", Assert.Single(pending.EnumerateArray()).Text("status"));
    }

    [Fact]
    public async Task Guessed_invitation_tokens_get_the_answer_for_an_invitation_that_does_not_exist()
    {
        var (owner, workspaceId, powerful) = await VictimAsync();
        var invited = SystemApi.NewEmail("target");
        var invitationId = await _api.InvitedAsync(owner, workspaceId, invited, powerful);
        // Even where a token holder may take an invitation for another address, a guessed token is nothing.
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { policyConfig = new { allowInvitationTransfer = true } }, owner.AccessToken)).AssertOk();
        var squatter = await _api.SignUpAsync(invited);
        var outsider = await _api.SignUpVerifiedAsync();
        var before = await SnapshotAsync(workspaceId);
        var nowhere = await _api.AcceptAsync(outsider, "inv_00000000000000000000000000", RandomToken());

        var guesses = new List<ApiResponse>();
        foreach (var guess in Enumerable.Range(0, 20).Select(_ => RandomToken()).Append("").Append(" ").Append(invitationId).Append(new string('A', 43)))
        {
            guesses.Add(await _api.AcceptAsync(outsider, invitationId, guess));
            guesses.Add(await _api.AcceptAsync(squatter, invitationId, guess));
            guesses.Add(await _api.DeclineAsync(squatter, invitationId, guess));
        }

        Assert.All(guesses, g =>
        {
            g.AssertEnvelope(HttpStatusCode.NotFound, "4040");
            Assert.Equal((nowhere.Code, nowhere.MessageText), (g.Code, g.MessageText));
        });
        Assert.Equal(before, await SnapshotAsync(workspaceId));
        Assert.False((await _api.MeAsync(squatter)).Flag("emailVerified"));
    }

    [Fact]
    public async Task A_member_of_another_tenant_with_a_stolen_invitation_id_gets_nothing()
    {
        var (owner, workspaceId, powerful) = await VictimAsync();
        var invitationId = await _api.InvitedAsync(owner, workspaceId, SystemApi.NewEmail("victim-invitee"), powerful);
        var rival = await _api.SignUpVerifiedAsync();
        var rivalWorkspace = await _api.CreateWorkspaceAsync(rival, "Rival");
        var rivalInvitation = await _api.InvitedAsync(rival, rivalWorkspace, SystemApi.NewEmail("rival-invitee"), await _api.RoleIdAsync(rival, rivalWorkspace, "Member"));
        var rivalToken = (await app.Smtp.InvitationEmailAsync(
            (await app.WithDbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == rivalInvitation))).Email)).InvitationToken();
        var before = await SnapshotAsync(workspaceId);

        // Its own invitation's token opens nothing else, and nothing in the answers says the victim's invitation exists.
        var withToken = await _api.AcceptAsync(rival, invitationId, rivalToken);
        var withoutToken = await _api.AcceptAsync(rival, invitationId);
        var madeUp = await _api.AcceptAsync(rival, "inv_00000000000000000000000000", rivalToken);

        foreach (var answer in new[] { withToken, withoutToken, madeUp })
        {
            answer.AssertEnvelope(HttpStatusCode.NotFound, "4040", "2.0.0");
        }
        Assert.Equal(before, await SnapshotAsync(workspaceId));
        Assert.Equal(InvitationStatus.Pending, await app.WithDbAsync(db => db.Invitations.Where(i => i.Id == rivalInvitation).Select(i => i.Status).SingleAsync()));
    }

    [Fact]
    public async Task Guessed_verification_tokens_and_another_accounts_code_verify_nothing()
    {
        var victim = await _api.SignUpAsync(SystemApi.NewEmail("victim"));
        var attacker = await _api.SignUpAsync(SystemApi.NewEmail("attacker"));
        var victimEmail = await app.Smtp.VerificationEmailAsync(victim.Email);
        var attackerCode = (await app.Smtp.VerificationEmailAsync(attacker.Email)).VerificationCode();

        var answers = new List<ApiResponse>();
        foreach (var guess in Enumerable.Range(0, 20).Select(_ => RandomToken()).Append(victimEmail.VerificationCode()).Append(victim.UserId))
        {
            answers.Add(await _api.PostAsync("/web/v1/auth/email/verify", new { token = guess }));
        }
        if (victimEmail.VerificationCode() != attackerCode)
        {
            // The victim's code, tried on the attacker's own account, is just a wrong code there.
            answers.Add(await _api.PostAsync("/web/v1/auth/email/verify", new { code = victimEmail.VerificationCode() }, attacker.AccessToken));
        }

        Assert.All(answers, a => a.AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID"));
        Assert.False((await _api.MeAsync(victim)).Flag("emailVerified"));
        Assert.False((await _api.MeAsync(attacker)).Flag("emailVerified"));
        Assert.Equal(0, await app.CountAsync<Domain.Audit.AccountEvent>(q => q.Where(e => e.UserId == victim.UserId || e.UserId == attacker.UserId)));
    }
}
