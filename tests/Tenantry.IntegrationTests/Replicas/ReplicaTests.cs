using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Tenantry.Data.Keys;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// Two replicas, one database (issue 6): what one replica issues the other accepts, what one
/// revokes or changes the other applies as soon as the broadcast reaches it (milliseconds; the
/// caches here would otherwise serve for a minute), signing keys rotate without either replica
/// rejecting the other's tokens, and the concurrent invariants hold when the racing requests are
/// split across the two processes.
/// </summary>
[Trait(PostgresOnly.Trait, PostgresOnly.Value)]
public sealed class ReplicaTests(ReplicaPair replicas) : IClassFixture<ReplicaPair>
{
    private const string ListPath = "/web/v1/system/workspaces/mine";

    private readonly SystemApi _a = replicas.A.System;
    private readonly SystemApi _b = replicas.B.System;

    [Fact]
    public async Task Tokens_issued_by_one_replica_are_accepted_by_the_other()
    {
        var onA = await _a.SignUpAsync();
        var onB = await _b.SignUpAsync();
        (await _b.GetAsync(ListPath, onA.AccessToken)).AssertOk("2.0.0");
        (await _a.GetAsync(ListPath, onB.AccessToken)).AssertOk("2.0.0");

        // A refresh token from A is redeemed on B, and the access token B issues works on A.
        var refreshed = (await _b.PostAsync("/web/v1/auth/refresh", new { refreshToken = onA.RefreshToken })).AssertOk();
        Assert.Equal(onA.SessionId, refreshed.GetProperty("sessionId").GetString());
        var fromB = refreshed.GetProperty("accessToken").GetString();
        (await _a.GetAsync(ListPath, fromB)).AssertOk("2.0.0");

        // Reusing the spent refresh token on A is noticed (the rotation happened on B) and ends the session everywhere.
        (await _a.PostAsync("/web/v1/auth/refresh", new { refreshToken = onA.RefreshToken })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _a.GetAsync(ListPath, fromB)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
        await AppliedOnTheOtherReplicaAsync(async () => (await _b.GetAsync(ListPath, fromB)).Status == HttpStatusCode.Unauthorized);
        (await _b.GetAsync(ListPath, fromB)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }

    [Fact]
    public async Task Sign_out_on_one_replica_is_rejected_on_the_other_once_the_broadcast_arrives()
    {
        foreach (var (signIn, signOut, other) in new[] { (_a, _a, _b), (_b, _b, _a) })
        {
            var user = await signIn.SignUpAsync();
            // The other replica has seen and verified this token before (it caches verified signatures).
            (await other.GetAsync(ListPath, user.AccessToken)).AssertOk("2.0.0");

            (await signOut.PostAsync("/web/v1/auth/sign-out", token: user.AccessToken)).AssertOk();

            await AppliedOnTheOtherReplicaAsync(async () => (await other.GetAsync(ListPath, user.AccessToken)).Status == HttpStatusCode.Unauthorized);
            var rejected = await other.GetAsync(ListPath, user.AccessToken);
            rejected.AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
            Assert.Equal("Invalid or expired token", rejected.MessageText);
            (await signOut.GetAsync(ListPath, user.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
            (await other.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        }
    }

    [Fact]
    public async Task Signing_keys_rotate_with_an_overlap_and_both_replicas_agree()
    {
        var user = await _a.SignUpAsync();
        var first = user.AccessToken;
        var firstKid = new JsonWebToken(first).Kid;

        // Refresh alternately on A and B until both have signed with a key newer than the first one.
        var issued = new List<(string Replica, string Token)>();
        var refreshToken = user.RefreshToken;
        var rotatedOn = new HashSet<string>();
        var deadline = Stopwatch.StartNew();
        for (var i = 0; rotatedOn.Count < 2; i++)
        {
            Assert.True(deadline.Elapsed < ReplicaPair.Rotation * 3, $"No rotation seen on both replicas after {deadline.Elapsed}: {string.Join(", ", issued.Select(t => $"{t.Replica}:{new JsonWebToken(t.Token).Kid}"))}\n{replicas.Logs()}");
            var (name, api) = i % 2 == 0 ? ("A", _a) : ("B", _b);
            var data = (await api.PostAsync("/web/v1/auth/refresh", new { refreshToken })).AssertOk();
            refreshToken = data.GetProperty("refreshToken").GetString()!;
            var token = data.GetProperty("accessToken").GetString()!;
            issued.Add((name, token));
            if (new JsonWebToken(token).Kid != firstKid)
            {
                rotatedOn.Add(name);
            }
            await Task.Delay(250);
        }

        // The overlap: the token signed with the previous key still works on both replicas, as does every token since.
        foreach (var api in new[] { _a, _b })
        {
            (await api.GetAsync(ListPath, first)).AssertOk("2.0.0");
            foreach (var (_, token) in issued)
            {
                (await api.GetAsync(ListPath, token)).AssertOk("2.0.0");
            }
        }

        // Both replicas publish the same key set (the same public keys), with the previous key and the current one in it.
        var listedAt = DateTime.UtcNow;
        var jwks = await ConvergedJwksAsync();
        var newKid = new JsonWebToken(issued[^1].Token).Kid;
        Assert.Contains(firstKid, jwks.Keys);
        Assert.Contains(newKid, jwks.Keys);

        // One schedule for both: every token was signed by the newest key active when it was issued
        // (within a second: the iat claim has whole seconds), and no replica added a key of its own.
        var keys = await replicas.Db.WithDbAsync(db => db.SigningKeys.AsNoTracking().OrderBy(k => k.ActivatesAt).ToListAsync());
        Assert.Equal(keys.Count, keys.Select(k => k.ActivatesAt).Distinct().Count());
        Assert.All(jwks.Keys, kid => Assert.Contains(kid, keys.Select(k => k.Kid)));
        // Every unexpired key that existed a moment before the listing is listed (keys keep being added as the ring rotates).
        Assert.All(keys.Where(k => k.ExpiresAt > listedAt && k.CreatedAt < listedAt - ReplicaPair.RefreshInterval * 2), k => Assert.Contains(k.Kid, jwks.Keys));
        foreach (var (replica, token) in issued)
        {
            var jwt = new JsonWebToken(token);
            var signer = keys.Single(k => k.Kid == jwt.Kid);
            var superseded = keys.Where(k => k.ActivatesAt > signer.ActivatesAt).Select(k => k.ActivatesAt).DefaultIfEmpty(DateTime.MaxValue).Min();
            Assert.True(signer.ActivatesAt <= jwt.IssuedAt.AddSeconds(1) && superseded > jwt.IssuedAt.AddSeconds(-1),
                $"{replica} signed at {jwt.IssuedAt:O} with {signer.Kid} (active {signer.ActivatesAt:O}, superseded {superseded:O})");
        }
    }

    [Fact]
    public async Task One_self_created_workspace_per_user_with_requests_split_across_replicas()
    {
        for (var round = 0; round < 4; round++)
        {
            var user = await _a.SignUpAsync();
            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                (i % 2 == 0 ? _a : _b).PostAsync("/web/v1/workspaces/self", new { workspaceName = $"Race {i}" }, user.AccessToken)));

            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            foreach (var conflict in results.Where(r => r.Status != HttpStatusCode.OK))
            {
                conflict.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ALREADY_OWNS_WORKSPACE", "1.3.0");
            }
            Assert.Equal(1, await replicas.Db.CountAsync<Workspace>(q => q.Where(w => w.SelfCreatedBy == user.UserId)));
            Assert.Equal(1, await replicas.Db.CountAsync<Institution>(q => q.Where(i => i.OwnerUserId == user.UserId)));
            Assert.Equal(1, await replicas.Db.CountAsync<WorkspaceMembership>(q => q.Where(m => m.UserId == user.UserId && m.IsDefault)));
            Assert.Single(await _b.ListMineAsync(user));
        }
    }

    [Fact]
    public async Task One_default_per_user_with_set_default_split_across_replicas()
    {
        var user = await _a.SignUpAsync();
        var workspaces = new List<string> { await _a.CreateWorkspaceAsync(user) };
        for (var i = 0; i < 4; i++)
        {
            var owner = await _b.SignUpAsync();
            var workspace = await _b.CreateWorkspaceAsync(owner, $"W{i}");
            await replicas.Db.WithDbAsync(db => db.AddMemberAsync(workspace, user.UserId));
            workspaces.Add(workspace);
        }

        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(workspaces.SelectMany(w => new[] { (_a, w), (_b, w) })
                .Select(x => x.Item1.PostAsync($"/web/v1/tenant/workspaces/{x.w}/default", token: user.AccessToken)));

            Assert.All(results, r => r.AssertOk("2.0.0"));
            Assert.Equal(1, await replicas.Db.CountAsync<WorkspaceMembership>(q => q.Where(m => m.UserId == user.UserId && m.IsDefault)));
            Assert.Single(await _a.ListMineAsync(user), i => i.GetProperty("isDefault").GetBoolean());
            Assert.Single(await _b.ListMineAsync(user), i => i.GetProperty("isDefault").GetBoolean());
        }
    }

    [Fact]
    public async Task At_least_one_owner_when_two_owners_leave_through_different_replicas()
    {
        for (var round = 0; round < 4; round++)
        {
            var first = await _a.SignUpAsync();
            var second = await _b.SignUpAsync();
            var workspace = await _a.CreateWorkspaceAsync(first);
            await replicas.Db.WithDbAsync(db => db.AddMemberAsync(workspace, second.UserId, WorkspaceRole.OwnerName));

            var results = await Task.WhenAll(
                _a.PostAsync($"/web/v1/tenant/workspaces/{workspace}/leave", token: first.AccessToken),
                _b.PostAsync($"/web/v1/tenant/workspaces/{workspace}/leave", token: second.AccessToken));

            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            Assert.Single(results, r => r.Status == HttpStatusCode.Conflict).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER");
            Assert.Equal(1, await replicas.Db.CountAsync<WorkspaceMembership>(q => q.Where(m => m.WorkspaceId == workspace)));
        }
    }

    [Fact]
    public async Task List_changes_through_one_replica_show_on_the_other_once_the_broadcast_arrives()
    {
        // Each replica caches the list and the session check (a minute here); the LISTEN/NOTIFY
        // broadcast is what makes B drop its copies. PostgreSQL has delivered it to B's listener
        // when A answers; B applies it as soon as its listener reads it.
        var owner = await _a.SignUpAsync();
        var member = await _a.SignUpAsync();
        var workspace = await _a.CreateWorkspaceAsync(owner, "Before");
        await replicas.Db.WithDbAsync(db => db.AddMemberAsync(workspace, member.UserId));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Before", Assert.Single(await _b.ListMineAsync(member)).GetProperty("workspaceName").GetString());
        }

        (await _a.PatchAsync($"/web/v1/workspaces/{workspace}", new { workspaceName = "After" }, owner.AccessToken)).AssertOk();
        await AppliedOnTheOtherReplicaAsync(async () => Assert.Single(await _b.ListMineAsync(member)).GetProperty("workspaceName").GetString() == "After");

        (await _a.PostAsync($"/web/v1/tenant/workspaces/{workspace}/leave", token: member.AccessToken)).AssertOk();
        await AppliedOnTheOtherReplicaAsync(async () => (await _b.ListMineAsync(member)).Length == 0);
    }

    [Fact]
    public async Task Wacht_membership_view_changes_through_one_replica_show_on_the_other_once_the_broadcast_arrives()
    {
        // The full view also shows member counts, which change when someone else joins: that
        // change travels in the broadcast too.
        var owner = await _a.SignUpAsync();
        var workspace = await _a.CreateWorkspaceAsync(owner);
        var wachtB = new WachtApi(replicas.B.CreateHttpClient());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, MemberCount(Assert.Single(await wachtB.WorkspaceMembershipsAsync(owner))));
        }

        var colleague = await _a.SignUpAsync();
        await _a.JoinAsync(owner, workspace, colleague);

        await AppliedOnTheOtherReplicaAsync(async () => MemberCount(Assert.Single(await wachtB.WorkspaceMembershipsAsync(owner))) == 2);
        Assert.Equal(2, MemberCount(Assert.Single(await wachtB.WorkspaceMembershipsAsync(colleague))));

        static int MemberCount(JsonElement item) => item.GetProperty("workspace").GetProperty("member_count").GetInt32();
    }

    [Fact]
    public async Task One_pending_invitation_per_email_with_invites_split_across_replicas()
    {
        var owner = await _a.SignUpAsync();
        var workspace = await _a.CreateWorkspaceAsync(owner);
        var memberRole = await _a.RoleIdAsync(owner, workspace, WorkspaceRole.MemberName);
        for (var round = 0; round < 4; round++)
        {
            var email = SystemApi.NewEmail("invitee");
            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                (i % 2 == 0 ? _a : _b).PostAsync($"/web/v1/workspaces/{workspace}/invitations", new { email, roleBizId = memberRole }, owner.AccessToken)));

            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            foreach (var conflict in results.Where(r => r.Status != HttpStatusCode.OK))
            {
                conflict.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.INVITATION_PENDING");
            }
            Assert.Equal(1, await replicas.Db.CountAsync<Invitation>(q => q.Where(i => i.WorkspaceId == workspace && i.NormalizedEmail == email && i.Status == InvitationStatus.Pending)));
        }
    }

    /// <summary>The keys both replicas publish (kid → public key JSON), once they publish the same set; each re-reads the ring every second.</summary>
    private async Task<SortedDictionary<string, string>> ConvergedJwksAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var a = await JwksAsync(replicas.A);
            var b = await JwksAsync(replicas.B);
            if (a.SequenceEqual(b))
            {
                return a;
            }
            Assert.True(deadline.Elapsed < ReplicaPair.RefreshInterval * 5, $"JWKS differ: A [{string.Join(",", a.Keys)}] B [{string.Join(",", b.Keys)}]");
            await Task.Delay(200);
        }
    }

    private static async Task<SortedDictionary<string, string>> JwksAsync(ServerProcess server)
    {
        using var http = server.CreateHttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks.json"));
        return new(document.RootElement.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("kid").GetString()!, k => k.GetRawText()), StringComparer.Ordinal);
    }

    /// <summary>Waits for the other replica to apply a change it heard of; well within the caches' minute, so only the broadcast can explain it.</summary>
    private static Task AppliedOnTheOtherReplicaAsync(Func<Task<bool>> applied) => Eventually.TrueAsync(applied, ReplicaPair.BroadcastBound);
}
