using System.Net;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Invitations;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>Invitations (CONTRACT 5): create, list, revoke, resend, accept, decline; conflicts and races.</summary>
public sealed class InvitationTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId, string MemberRoleId)> OwnerAsync(string name = "Acme")
    {
        var owner = await _api.SignUpAsync(displayName: "Olga Owner");
        var ws = await _api.CreateWorkspaceAsync(owner, name);
        return (owner, ws, await _api.RoleIdAsync(owner, ws, "Member"));
    }

    private Task ExpireAsync(string invitationId) => app.WithDbAsync(db =>
        db.Invitations.Where(i => i.Id == invitationId).ExecuteUpdateAsync(i => i.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));

    [Fact]
    public async Task An_invitation_expires_after_seven_days_by_default_and_is_listed_for_the_workspace()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var email = SystemApi.NewEmail("guest");

        var created = (await _api.InviteAsync(owner, ws, $"  {email}  ", memberRole)).AssertOk("1.0.0");

        Assert.StartsWith("inv_", created.Text("invitationBizId"));
        Assert.Equal(email, created.Text("email"));
        var expiresIn = created.GetProperty("expiresAt").GetDateTimeOffset() - created.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(7), expiresIn);
        var pending = await _api.GetAsync($"/web/v1/workspaces/{ws}/invitations", owner.AccessToken);
        Assert.Equal(created.GetRawText(), Assert.Single(pending.AssertOk("1.0.0").EnumerateArray()).GetRawText());
        Assert.Equal("1", pending.Header("X-Total-Count"));
        var stored = await app.WithDbAsync(db => db.Invitations.SingleAsync(i => i.WorkspaceId == ws));
        Assert.Equal(owner.UserId, stored.InvitedByUserId);
        Assert.Equal(InvitationStatus.Pending, stored.Status);
    }

    [Fact]
    public async Task A_second_pending_invitation_for_the_same_email_is_refused_in_any_case()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var email = SystemApi.NewEmail("dup");
        await _api.InvitedAsync(owner, ws, email, memberRole);

        (await _api.InviteAsync(owner, ws, email.ToUpperInvariant(), memberRole)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_PENDING", "1.0.0");
        // The same address may be invited to another workspace.
        var (other, otherWs, otherRole) = await OwnerAsync("Other");
        await _api.InvitedAsync(other, otherWs, email, otherRole);
    }

    [Fact]
    public async Task Concurrent_invitations_of_one_email_make_one_pending_invitation()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var email = SystemApi.NewEmail("race");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _api.InviteAsync(owner, ws, i % 2 == 0 ? email : email.ToUpperInvariant(), memberRole)));

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => r.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_PENDING"));
        Assert.Equal(1, await app.CountAsync<Invitation>(q => q.Where(i => i.WorkspaceId == ws)));
        Assert.Single(await app.OutboxAsync(email));
    }

    [Fact]
    public async Task An_expired_invitation_does_not_block_a_new_one()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var old = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);
        await ExpireAsync(old);
        Assert.Empty(await _api.MyInvitationsAsync(invitee));
        Assert.Empty((await _api.GetAsync($"/web/v1/workspaces/{ws}/invitations", owner.AccessToken)).AssertOk().EnumerateArray());

        var fresh = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        Assert.Equal(InvitationStatus.Expired, await app.WithDbAsync(db => db.Invitations.Where(i => i.Id == old).Select(i => i.Status).SingleAsync()));
        Assert.Equal(fresh, Assert.Single(await _api.MyInvitationsAsync(invitee)).Text("invitationBizId"));
        (await _api.AcceptAsync(invitee, old)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");
        (await _api.AcceptAsync(invitee, fresh)).AssertOk();
    }

    [Fact]
    public async Task Accepting_an_invitation_that_ran_out_is_refused_and_marks_it_expired()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);
        await ExpireAsync(invitation);

        (await _api.AcceptAsync(invitee, invitation)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING", "2.0.0");
        (await _api.DeclineAsync(invitee, invitation)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");

        Assert.Empty(await _api.ListMineAsync(invitee));
        Assert.Equal(InvitationStatus.Expired, await app.WithDbAsync(db => db.Invitations.Where(i => i.Id == invitation).Select(i => i.Status).SingleAsync()));
    }

    [Fact]
    public async Task Inviting_a_member_answers_already_member()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var member = await _api.SignUpAsync();
        await _api.JoinAsync(owner, ws, member);

        (await _api.InviteAsync(owner, ws, member.Email.ToUpperInvariant(), memberRole)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ALREADY_MEMBER", "1.0.0");
        (await _api.InviteAsync(owner, ws, owner.Email, memberRole)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ALREADY_MEMBER");
    }

    [Theory]
    [InlineData("""{"email":"not-an-email","roleBizId":"ROLE"}""", "$.email")]
    [InlineData("""{"email":"Name <a@example.com>","roleBizId":"ROLE"}""", "$.email")]
    [InlineData("""{"email":"a@localhost","roleBizId":"ROLE"}""", "$.email")]
    [InlineData("""{"email":"","roleBizId":"ROLE"}""", "$.email")]
    [InlineData("""{"roleBizId":"ROLE"}""", "$.email")]
    [InlineData("""{"email":"a@example.com"}""", "$.roleBizId")]
    [InlineData("""{"email":"a@example.com","roleBizId":"role_00000000000000000000000000"}""", "$.roleBizId")]
    [InlineData("""{"email":"a@example.com","roleBizId":"garbage"}""", "$.roleBizId")]
    [InlineData("""{"email":["a@example.com"],"roleBizId":"ROLE"}""", "$.email")]
    [InlineData("""{}""", "$.email")]
    public async Task Invitation_validation(string body, string field)
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations", body.Replace("ROLE", memberRole, StringComparison.Ordinal), owner.AccessToken))
            .AssertValidationError(field);
        Assert.Equal(0, await app.CountAsync<Invitation>(q => q.Where(i => i.WorkspaceId == ws)));
    }

    [Fact]
    public async Task A_role_of_another_workspace_is_unknown_and_an_empty_body_is_refused()
    {
        var (owner, ws, _) = await OwnerAsync();
        var (_, _, foreignRole) = await OwnerAsync("Foreign");
        (await _api.InviteAsync(owner, ws, SystemApi.NewEmail(), foreignRole)).AssertValidationError("$.roleBizId");
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations", token: owner.AccessToken)).AssertValidationError("$");
    }

    [Fact]
    public async Task An_inviter_cannot_offer_a_role_beyond_their_own_permissions()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var inviter = await _api.SignUpAsync();
        (await _api.CreateRoleAsync(owner, ws, "Inviter", "workspace.read", "members.read", "members.invite")).AssertOk();
        var auditor = (await _api.CreateRoleAsync(owner, ws, "Auditor", "workspace.read", "audit.read")).AssertOk().Text("roleBizId");
        await _api.JoinAsync(owner, ws, inviter, "Inviter");

        (await _api.InviteAsync(inviter, ws, SystemApi.NewEmail(), auditor)).AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR", "1.0.0");
        (await _api.InviteAsync(inviter, ws, SystemApi.NewEmail(), await _api.RoleIdAsync(owner, ws, "Owner")))
            .AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
        await _api.InvitedAsync(inviter, ws, SystemApi.NewEmail(), memberRole);
        await _api.InvitedAsync(inviter, ws, SystemApi.NewEmail(), await _api.RoleIdAsync(owner, ws, "Inviter"));
        // Owners may offer any role, Owner included.
        await _api.InvitedAsync(owner, ws, SystemApi.NewEmail(), auditor);
        await _api.InvitedAsync(owner, ws, SystemApi.NewEmail(), await _api.RoleIdAsync(owner, ws, "Owner"));
    }

    [Fact]
    public async Task Only_the_addressee_sees_accepts_or_declines_an_invitation()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var other = await _api.SignUpVerifiedAsync();
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        Assert.Empty(await _api.MyInvitationsAsync(other));
        Assert.Empty(await _api.MyInvitationsAsync(owner));
        (await _api.AcceptAsync(other, invitation)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "2.0.0");
        (await _api.DeclineAsync(other, invitation)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.AcceptAsync(owner, invitation)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.AcceptAsync(invitee, "inv_00000000000000000000000000")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.AcceptAsync(invitee, "garbage")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Empty(await _api.ListMineAsync(other));

        (await _api.AcceptAsync(invitee, invitation)).AssertOk("2.0.0");
    }

    [Fact]
    public async Task Accepting_twice_does_nothing_more_and_joins_the_institution()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        var first = (await _api.AcceptAsync(invitee, invitation)).AssertOk("2.0.0");
        var second = (await _api.AcceptAsync(invitee, invitation)).AssertOk("2.0.0");

        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Equal("INVITED", first.Code("joinSource"));
        Assert.True(first.Flag("isDefault"));
        Assert.Single(await _api.ListMineAsync(invitee));
        var institution = first.Text("institutionBizId");
        Assert.Equal(1, await app.CountAsync<Domain.Institutions.InstitutionMembership>(q => q.Where(m => m.UserId == invitee.UserId && m.InstitutionId == institution)));
        Assert.Equal(2, await app.WithDbAsync(db => db.Workspaces.Where(w => w.Id == ws).Select(w => w.MemberCount).SingleAsync()));
        Assert.Equal(1, await app.CountAsync<Domain.Audit.AuditEvent>(q => q.Where(e => e.WorkspaceId == ws && e.Action == "invitation.accepted")));
        (await _api.DeclineAsync(invitee, invitation)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");

        // Having left, the old invitation does not let them back in.
        (await _api.LeaveAsync(invitee, ws)).AssertOk();
        (await _api.AcceptAsync(invitee, invitation)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");
    }

    [Fact]
    public async Task Concurrent_accepts_make_one_membership()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _api.AcceptAsync(invitee, invitation)));

        Assert.All(results, r => r.AssertOk("2.0.0"));
        Assert.Single(results.Select(r => r.Data.GetRawText()).Distinct());
        Assert.Equal(1, await app.CountAsync<Domain.Memberships.WorkspaceMembership>(q => q.Where(m => m.WorkspaceId == ws && m.UserId == invitee.UserId)));
        Assert.Equal(1, await app.CountAsync<Domain.Memberships.WorkspaceMembership>(q => q.Where(m => m.UserId == invitee.UserId && m.IsDefault)));
        Assert.Equal(2, await app.WithDbAsync(db => db.Workspaces.Where(w => w.Id == ws).Select(w => w.MemberCount).SingleAsync()));
        Assert.Equal(1, await app.CountAsync<Domain.Audit.AuditEvent>(q => q.Where(e => e.WorkspaceId == ws && e.Action == "invitation.accepted")));
    }

    [Fact]
    public async Task Concurrent_accept_and_decline_end_in_one_answer()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        var results = await Task.WhenAll(_api.AcceptAsync(invitee, invitation), _api.DeclineAsync(invitee, invitation));

        var status = await app.WithDbAsync(db => db.Invitations.Where(i => i.Id == invitation).Select(i => i.Status).SingleAsync());
        var member = await app.CountAsync<Domain.Memberships.WorkspaceMembership>(q => q.Where(m => m.WorkspaceId == ws && m.UserId == invitee.UserId));
        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Single(results, r => r.Status == HttpStatusCode.Conflict && r.Code == "WORKSPACE.INVITATION_NOT_PENDING");
        Assert.Equal(status == InvitationStatus.Accepted ? 1 : 0, member);
    }

    [Fact]
    public async Task Declining_removes_it_from_my_invitations_and_twice_is_fine()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        (await _api.DeclineAsync(invitee, invitation)).AssertOk("1.0.0");
        (await _api.DeclineAsync(invitee, invitation)).AssertOk();

        Assert.Empty(await _api.MyInvitationsAsync(invitee));
        Assert.Empty((await _api.GetAsync($"/web/v1/workspaces/{ws}/invitations", owner.AccessToken)).AssertOk().EnumerateArray());
        (await _api.AcceptAsync(invitee, invitation)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");
        // A declined invitation does not block a new one.
        await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);
    }

    [Fact]
    public async Task Revoking_withdraws_a_pending_invitation()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        var revoked = (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{invitation}/revoke", token: owner.AccessToken)).AssertOk("1.0.0");

        Assert.Equal("REVOKED", revoked.Text("status"));
        Assert.Empty(await _api.MyInvitationsAsync(invitee));
        (await _api.AcceptAsync(invitee, invitation)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{invitation}/revoke", token: owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING", "1.0.0");
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{invitation}/resend", token: owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_NOT_PENDING");
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/inv_00000000000000000000000000/revoke", token: owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.NotFound, "4040");
        // Another workspace's invitation is not found through this one.
        var (other, otherWs, otherRole) = await OwnerAsync("Other");
        var foreign = await _api.InvitedAsync(other, otherWs, SystemApi.NewEmail(), otherRole);
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{foreign}/revoke", token: owner.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }

    [Fact]
    public async Task Resending_renews_the_expiry_and_queues_another_email()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);
        await ExpireAsync(invitation);
        Assert.Empty(await _api.MyInvitationsAsync(invitee));

        var resent = (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{invitation}/resend", token: owner.AccessToken)).AssertOk("1.0.0");

        Assert.Equal("PENDING", resent.Text("status"));
        Assert.InRange(resent.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(5));
        Assert.Equal(invitation, Assert.Single(await _api.MyInvitationsAsync(invitee)).Text("invitationBizId"));
        Assert.Equal(2, (await app.OutboxAsync(invitation)).Count);
        (await _api.AcceptAsync(invitee, invitation)).AssertOk();
    }

    [Fact]
    public async Task My_invitations_list_pending_ones_across_workspaces_with_their_names()
    {
        var invitee = await _api.SignUpVerifiedAsync();
        var (a, wsA, roleA) = await OwnerAsync("Alpha");
        var (b, wsB, _) = await OwnerAsync("Beta");
        var editor = (await _api.CreateRoleAsync(b, wsB, "Editor", "workspace.read")).AssertOk().Text("roleBizId");
        await _api.InvitedAsync(a, wsA, invitee.Email, roleA);
        await _api.InvitedAsync(b, wsB, invitee.Email.ToUpperInvariant(), editor);

        var mine = await _api.MyInvitationsAsync(invitee);

        Assert.Equal(["Beta", "Alpha"], mine.Select(i => i.Text("workspaceName")));
        Assert.Equal(["invitationBizId", "workspaceBizId", "workspaceName", "email", "roleBizId", "roleName", "status", "expiresAt", "createdAt"],
            mine[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("Editor", mine[0].Text("roleName"));
        Assert.Equal(wsB, mine[0].Text("workspaceBizId"));
        Assert.Equal("Member", mine[1].Text("roleName"));
        Assert.All(mine, i => Assert.Equal("PENDING", i.Text("status")));
    }

    [Fact]
    public async Task Joining_by_invitation_does_not_take_the_default_from_a_user_who_has_one()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var own = await _api.CreateWorkspaceAsync(invitee, "Own");
        var invitation = await _api.InvitedAsync(owner, ws, invitee.Email, memberRole);

        var item = (await _api.AcceptAsync(invitee, invitation)).AssertOk();

        Assert.False(item.Flag("isDefault"));
        Assert.Equal(own, (await _api.ListMineAsync(invitee)).Single(i => i.Flag("isDefault")).Text("workspaceBizId"));
    }

    [Fact]
    public async Task Joining_an_institution_by_invitation_applies_its_auto_assigned_workspace()
    {
        var (owner, ws, memberRole) = await OwnerAsync();
        var invitee = await _api.SignUpVerifiedAsync();
        var lobby = await app.WithDbAsync(async db =>
        {
            var workspace = await db.Workspaces.SingleAsync(w => w.Id == ws);
            var extra = Domain.Workspaces.Workspace.Create(workspace.InstitutionId, "Lobby", Domain.Workspaces.WorkspaceKind.Live, "UTC", DateTimeOffset.UtcNow);
            db.Workspaces.Add(extra);
            db.WorkspaceRoles.AddRange(
                Domain.Memberships.WorkspaceRole.CreateOwner(workspace.InstitutionId, extra.Id, DateTimeOffset.UtcNow),
                Domain.Memberships.WorkspaceRole.CreateMember(workspace.InstitutionId, extra.Id, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            return extra.Id;
        });
        var institution = (await _api.ListMineAsync(owner)).Single().Text("institutionBizId");
        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institution}", new { autoAssignedWorkspaceBizId = lobby })).AssertOk();

        (await _api.AcceptAsync(invitee, await _api.InvitedAsync(owner, ws, invitee.Email, memberRole))).AssertOk();

        var mine = await _api.ListMineAsync(invitee);
        Assert.Equal("INVITED", mine.Item("workspaceBizId", ws).Code("joinSource"));
        Assert.Equal("Member", mine.Item("workspaceBizId", lobby).Text("workspaceRoleName"));
    }
}

/// <summary>The invitation lifetime is configurable (Tenantry:Invitations:ValidFor).</summary>
public sealed class InvitationLifetimeTests(InvitationLifetimeTests.ShortInvitations app) : IClassFixture<InvitationLifetimeTests.ShortInvitations>
{
    public sealed class ShortInvitations : TenantryApp
    {
        protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Invitations:ValidFor"] = "2.00:00:00";
    }

    [Fact]
    public async Task Invitations_expire_after_the_configured_time()
    {
        var api = app.System;
        var owner = await api.SignUpAsync();
        var ws = await api.CreateWorkspaceAsync(owner);

        var created = (await api.InviteAsync(owner, ws, SystemApi.NewEmail(), await api.RoleIdAsync(owner, ws, "Member"))).AssertOk();

        Assert.Equal(TimeSpan.FromDays(2), created.GetProperty("expiresAt").GetDateTimeOffset() - created.GetProperty("createdAt").GetDateTimeOffset());
    }
}
