using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Replicas;
using Xunit.Abstractions;

namespace Tenantry.IntegrationTests.Citus;

/// <summary>
/// Online scale-out (issue 17): a third worker joins the test's database while the service is
/// under load (reads, and writes the test can count afterwards: roles created, invitations sent,
/// a member moved between two roles), and <c>citus_rebalance_start()</c> moves shards onto it.
/// Every request answers <c>2000</c>, and the database and the API's answers hold exactly the
/// acknowledged writes afterwards (none lost, none twice); the distributed tables have shards on
/// three workers. Writes that Citus cancels as a deadlock's victim during the move are run again by
/// the transaction runner (<c>Transactions.InTransactionAsync</c>); the output counts those retries
/// by the error the server logged for them (docs/DEPLOYMENT.md §3). The worker is a PostgreSQL cluster of the test's own, started with the
/// settings the cluster script gives its nodes, and removed afterwards. Runs alone: it changes the
/// topology of its database and measures how many requests are served during the rebalance.
/// </summary>
[Trait(CitusOnly.Trait, CitusOnly.Value)]
[Collection(RunsAloneCollection.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Load workers, each the owner of its own workspace (its team): 4 keep two cores busy without starving the rebalance.</summary>
    private const int Teams = 4;

    /// <summary>
    /// The cluster script's node settings that matter here: Citus preloaded, and logical decoding
    /// on, which moving a shard while it is written needs (the source publishes, this node subscribes).
    /// </summary>
    private static readonly string[] s_citusNodeSettings = ["shared_preload_libraries=citus", "wal_level=logical"];

    private TestDatabase _database = null!;
    private ServerProcess? _server;
    private PostgresCluster? _node;

    public async Task InitializeAsync()
    {
        CitusOnly.Require();
        _database = await TestDatabase.CreateAsync();
    }

    [Fact]
    public async Task A_worker_added_and_rebalanced_under_load_fails_no_read_and_loses_no_write()
    {
        _server = await ServerProcess.StartAsync("citus-scale-out",
            ServerSettings.For(_database, new Dictionary<string, string?> { ["Tenantry:Cache:MaxStaleness"] = "00:00:00" }));
        // The node starts (initdb, a few seconds) while the teams are made.
        var starting = PostgresCluster.StartNewAsync(s_citusNodeSettings);
        var teams = new List<Team>();
        try
        {
            for (var i = 0; i < Teams; i++)
            {
                teams.Add(await TeamAsync(_server));
            }
        }
        finally
        {
            _node = await starting;
        }
        var newPort = _node!.Port;
        var name = new NpgsqlConnectionStringBuilder(_database.PostgresConnectionString).Database!;
        await ExecuteAsync(_node.AdminConnectionString, $"CREATE DATABASE \"{name}\"");
        var onNode = new NpgsqlConnectionStringBuilder(_node.AdminConnectionString) { Database = name };
        await ExecuteAsync(onNode.ConnectionString, "CREATE EXTENSION citus");
        await SslOnAsync(onNode);
        await ExecuteAsync(_database.PostgresConnectionString!, $"SELECT citus_add_node('127.0.0.1', {newPort})");
        var before = await ShardsPerWorkerAsync();

        var writes = new WriteMix(teams);
        TimeSpan rebalancing, rebalanced;
        IReadOnlyList<Sample> samples;
        await using (var load = new LoadGenerator(_server, [.. teams.Select(t => (t.Owner, t.WorkspaceId))], workers: Teams, write: writes.SendAsync))
        {
            await load.FlowingAsync();
            rebalancing = load.Now;
            await RebalanceAsync();
            rebalanced = load.Now;
            await load.UntilAsync(s => s.Count(x => x.StartedAt > rebalanced) >= 20, "20 answers after the rebalance");
            samples = load.Samples;
        }
        var after = await ShardsPerWorkerAsync();

        var during = samples.Where(s => s.StartedAt >= rebalancing && s.StartedAt <= rebalanced).ToList();
        output.WriteLine($"[scale-out] rebalance onto a third worker (shard_transfer_mode auto) took {Ms(rebalanced - rebalancing)} ms; " +
            $"{during.Count} requests started during it ({during.Count(s => s.What == "list")} reads, {during.Count(s => s.What != "list")} writes), " +
            $"{during.Count(s => s.Status != HttpStatusCode.OK)} not 2000 ({during.Count(s => s.Code == "5030")} answered 5030), " +
            $"slowest {Ms(during.Select(s => s.Latency).DefaultIfEmpty().Max())} ms; " +
            $"shards per worker before {Describe(before)}, after {Describe(after)}");
        output.WriteLine($"[scale-out] acknowledged over the whole run: {writes.Roles.Count} roles created, {writes.Invitations.Count} invitations, " +
            $"{writes.RoleChanges.Sum()} role changes; {samples.Count} requests, {samples.Count(s => s.Status != HttpStatusCode.OK)} not 2000; " +
            $"database errors in the server's log: {DatabaseErrorsIn(_server.Log)}");

        Assert.All(samples, s => Assert.True(s.Status == HttpStatusCode.OK && s.Code == "2000", s.ToString()));
        Assert.True(during.Count(s => s.What == "list") >= 10 && during.Count(s => s.What != "list") >= 10,
            $"Too little load during the rebalance to mean anything: {during.Count} requests");
        Assert.Equal(2, before.Count);
        Assert.Equal(3, after.Count);
        Assert.True(after.TryGetValue(newPort, out var moved) && moved > 0, $"No shard on the new worker: {Describe(after)}");
        await AssertNoWriteLostAsync(teams, writes);
    }

    /// <summary>An owner with a workspace, a member in it, and the two roles the member is moved between.</summary>
    private sealed record Team(TestUser Owner, string WorkspaceId, TestUser Member, string MemberRoleId, string EditorRoleId);

    private static async Task<Team> TeamAsync(ServerProcess server)
    {
        var api = server.System;
        var (owner, workspaceId) = (await LoadGenerator.UsersWithWorkspacesAsync(server, 1))[0];
        var member = await api.SignUpAsync();
        await api.JoinAsync(owner, workspaceId, member);
        var editor = (await api.CreateRoleAsync(owner, workspaceId, "Editor", "workspace.read")).AssertOk().Text("roleBizId");
        return new Team(owner, workspaceId, member, await api.RoleIdAsync(owner, workspaceId, "Member"), editor);
    }

    /// <summary>
    /// The writes of the load, in turn per worker (worker i is team i's owner): create a role, invite a
    /// new address, move the member to the other role; and what the server acknowledged of them.
    /// </summary>
    private sealed class WriteMix(IReadOnlyList<Team> teams)
    {
        public ConcurrentQueue<(int Team, string RoleId)> Roles { get; } = new();
        public ConcurrentQueue<(int Team, string InvitationId)> Invitations { get; } = new();

        /// <summary>Acknowledged role changes per team (each worker writes only its own slot).</summary>
        public int[] RoleChanges { get; } = new int[teams.Count];

        public async Task<(string What, ApiResponse Answer)> SendAsync(SystemApi api, (TestUser User, string WorkspaceId) who, int worker, int n)
        {
            var team = teams[worker];
            switch (n / 2 % 3)
            {
                case 0:
                    var role = await api.CreateRoleAsync(team.Owner, team.WorkspaceId, $"Role {worker}-{n}", "workspace.read");
                    if (role.Status == HttpStatusCode.OK)
                    {
                        Roles.Enqueue((worker, role.Data.Text("roleBizId")));
                    }
                    return ("create role", role);
                case 1:
                    var invitation = await api.InviteAsync(team.Owner, team.WorkspaceId, SystemApi.NewEmail("invitee"), team.MemberRoleId);
                    if (invitation.Status == HttpStatusCode.OK)
                    {
                        Invitations.Enqueue((worker, invitation.Data.Text("invitationBizId")));
                    }
                    return ("invite", invitation);
                default:
                    var change = await api.ChangeRoleAsync(team.Owner, team.WorkspaceId, team.Member.UserId, RoleAfter(worker, RoleChanges[worker] + 1));
                    if (change.Status == HttpStatusCode.OK)
                    {
                        RoleChanges[worker]++;
                    }
                    return ("change role", change);
            }
        }

        /// <summary>The member's role after <paramref name="changes"/> changes: Editor after an odd number, Member after an even one.</summary>
        public string RoleAfter(int team, int changes) => changes % 2 == 1 ? teams[team].EditorRoleId : teams[team].MemberRoleId;
    }

    /// <summary>
    /// The database (counted there) and the API's answers (read over HTTP) hold exactly the acknowledged
    /// writes: none lost, and nothing of a write that answered <c>5030</c>.
    /// </summary>
    private async Task AssertNoWriteLostAsync(IReadOnlyList<Team> teams, WriteMix writes)
    {
        await using var db = new DirectDatabase(_database);
        var api = _server!.System;
        for (var i = 0; i < teams.Count; i++)
        {
            var team = teams[i];
            var (owner, workspaceId) = (team.Owner, team.WorkspaceId);
            var roleIds = writes.Roles.Where(r => r.Team == i).Select(r => r.RoleId).ToList();
            var invitationIds = writes.Invitations.Where(r => r.Team == i).Select(r => r.InvitationId).ToList();
            var expectedRole = writes.RoleAfter(i, writes.RoleChanges[i]);

            Assert.Equal(roleIds.Count, await db.CountAsync<WorkspaceRole>(q => q.Where(r => roleIds.Contains(r.Id))));
            Assert.Equal(roleIds.Count, await db.CountAsync<WorkspaceRole>(q => q.Where(r => r.WorkspaceId == workspaceId && r.Name.StartsWith("Role "))));
            Assert.Equal(invitationIds.Count, await db.CountAsync<Invitation>(q => q.Where(x => invitationIds.Contains(x.Id))));
            Assert.Equal(invitationIds.Count, await db.CountAsync<Invitation>(q => q.Where(x => x.WorkspaceId == workspaceId && x.Status == InvitationStatus.Pending)));
            Assert.Equal(writes.RoleChanges[i], await db.CountAsync<AuditEvent>(q => q.Where(e => e.WorkspaceId == workspaceId && e.Action == AuditActions.MemberRoleChanged)));
            Assert.Equal(1, await db.CountAsync<WorkspaceMembership>(q => q.Where(m => m.WorkspaceId == workspaceId && m.UserId == team.Member.UserId && m.RoleId == expectedRole)));

            var roles = (await api.RolesAsync(owner, workspaceId)).Where(r => r.Text("roleName").StartsWith("Role ", StringComparison.Ordinal)).Select(r => r.Text("roleBizId"));
            Assert.Equal(roleIds.ToHashSet(), roles.ToHashSet());
            var invitations = (await AllPagesAsync(api, owner, $"/web/v1/workspaces/{workspaceId}/invitations")).Select(x => x.Text("invitationBizId")).ToHashSet();
            Assert.Equal(invitationIds.ToHashSet(), invitations);
            var audit = await AllPagesAsync(api, owner, $"/web/v1/workspaces/{workspaceId}/audit-events");
            Assert.Equal(writes.RoleChanges[i], audit.Count(e => e.Text("action") == AuditActions.MemberRoleChanged));
            Assert.Equal(expectedRole, (await api.MembersAsync(owner, workspaceId)).Item("userBizId", team.Member.UserId).Text("workspaceRoleBizId"));
        }
    }

    private static async Task<List<JsonElement>> AllPagesAsync(SystemApi api, TestUser user, string path)
    {
        const int PageSize = 200;
        var items = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var answer = (await api.GetAsync($"{path}?page={page}&pageSize={PageSize}", user.AccessToken)).AssertOk().EnumerateArray().ToList();
            items.AddRange(answer);
            if (answer.Count < PageSize)
            {
                return items;
            }
        }
    }

    /// <summary>
    /// Starts the rebalance and waits for it. <c>auto</c> moves shards by logical replication, so
    /// reads and writes go on during the copy and writes only wait for the last catch-up, and it
    /// refuses up front a table without a replica identity (whose UPDATEs and DELETEs would fail
    /// during a logical move, which <c>force_logical</c> accepts); <c>block_writes</c> would hold
    /// every write for the whole copy.
    /// </summary>
    private async Task RebalanceAsync()
    {
        await using var connection = new NpgsqlConnection(_database.PostgresConnectionString);
        await connection.OpenAsync();
        await using var start = new NpgsqlCommand("SELECT citus_rebalance_start(shard_transfer_mode => 'auto')", connection);
        var job = await start.ExecuteScalarAsync();
        Assert.True(job is long, "citus_rebalance_start planned no move");
        await using var wait = new NpgsqlCommand("SELECT citus_rebalance_wait()", connection) { CommandTimeout = 120 };
        await wait.ExecuteNonQueryAsync();
        await using var state = new NpgsqlCommand("SELECT state::text FROM pg_dist_background_job WHERE job_id = @job", connection);
        state.Parameters.AddWithValue("job", (long)job!);
        Assert.Equal("finished", await state.ExecuteScalarAsync());
    }

    /// <summary>How many shards of distributed tables each worker holds, by port.</summary>
    private async Task<Dictionary<int, long>> ShardsPerWorkerAsync()
    {
        await using var connection = new NpgsqlConnection(_database.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT nodeport, count(*) FROM citus_shards WHERE citus_table_type = 'distributed' GROUP BY nodeport", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var shards = new Dictionary<int, long>();
        while (await reader.ReadAsync())
        {
            shards[reader.GetInt32(0)] = reader.GetInt64(1);
        }
        return shards;
    }

    private static string Describe(Dictionary<int, long> shards) =>
        string.Join(" / ", shards.OrderBy(s => s.Key).Select(s => s.Value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Until the node accepts encrypted connections: creating the extension turns SSL on (Citus connects
    /// to its nodes with <c>sslmode=require</c>) by a configuration reload that takes effect a moment later.
    /// </summary>
    private static async Task SslOnAsync(NpgsqlConnectionStringBuilder node)
    {
        var encrypted = new NpgsqlConnectionStringBuilder(node.ConnectionString) { SslMode = SslMode.Require, Pooling = false }.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(encrypted);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 60 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The PostgreSQL errors the server logged, by SQLSTATE and message, and whether each was a unit of work run
    /// again (EF Core's "will be retried" warning) or reached a request: what the load met during the move.
    /// </summary>
    private static string DatabaseErrorsIn(IEnumerable<string> log)
    {
        var errors = log
            .Select(line => (Line: line, Match: s_postgresError.Match(line)))
            .Where(x => x.Match.Success)
            .GroupBy(x => $"{(x.Line.Contains("will be retried", StringComparison.Ordinal) ? "retried" : "answered")} {x.Match.Groups[1].Value} {x.Match.Groups[2].Value}")
            .Select(g => $"{g.Key} ×{g.Count()}")
            .ToList();
        return errors.Count == 0 ? "none" : string.Join("; ", errors);
    }

    private static readonly Regex s_postgresError = new(@"PostgresException \(0x[0-9A-Fa-f]+\): ([0-9A-Z]{5}): ([^\\""]{0,80})", RegexOptions.CultureInvariant);

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        await _database.DisposeAsync();
        // After the database: its coordinator no longer lists this node.
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
