using System.Text.RegularExpressions;
using Npgsql;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Citus;

/// <summary>A server on Citus that records the SQL of marked requests, caches off so that every request reads.</summary>
public sealed class PlanCaptureApp : QueryCaptureApp
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Cache:MaxStaleness"] = "00:00:00";
}

/// <summary>
/// The hot requests and the write mix (invite, accept, role change, remove) are answered by one shard
/// group each: every query they send is a Citus router plan (one task), read from the coordinator's
/// EXPLAIN of exactly the SQL and values the server sent. A query that fans out to every shard (a join
/// on a column other than the distribution column, a filter or an UPDATE that does not name it) has as
/// many tasks as shards, and the test names it. And no task reads a table that grows with the tenants
/// by a sequential scan: each query is explained again with sequential scans disabled on every node
/// (a tiny test table makes the planner prefer them otherwise), so one that remains had no index to use.
/// </summary>
[Trait(CitusOnly.Trait, CitusOnly.Value)]
public sealed partial class RouterPlanTests(PlanCaptureApp app) : IClassFixture<PlanCaptureApp>
{
    /// <summary>
    /// Queries that cannot name the distribution column, each with why; they may ask every shard,
    /// but each shard must answer from an index (the sequential-scan check still applies to them).
    /// Matched by a fragment of the SQL EF Core sends.
    /// </summary>
    private static readonly Dictionary<string, string> s_knownFanOuts = new()
    {
        // Accepting names the invitation by its id alone (the client has nothing else); found, the
        // invitation's institution routes the rest. Reloading it under the locks asks by id again.
        ["FROM invitations AS i\nWHERE i.id = @"] = "an invitation accepted by its id: the client knows no institution",
        // "At least one owner" counts a workspace's owners; memberships are keyed by user.
        ["WHERE w.workspace_id = @membership_WorkspaceId AND w0.built_in = 'Owner'"] = "a workspace's owners, over every user's shard",
    };

    // Tables that do not grow with the tenants: a sequential scan of them costs the same at any size.
    private static readonly HashSet<string> s_fixedSizeTables = ["signing_keys", "data_protection_keys"];

    [Fact]
    public async Task List_my_workspaces_in_both_dialects_and_a_workspace_endpoint_are_router_plans()
    {
        CitusOnly.Require();
        var system = app.System;
        var user = await system.SignUpAsync();
        var own = await system.CreateWorkspaceAsync(user);
        // A second institution, so that the user's rows are not all one tenant's.
        var colleague = await system.SignUpAsync();
        var theirs = await system.CreateWorkspaceAsync(colleague);
        await app.AddMemberAsync(theirs, user.UserId);

        var marked = app.MarkedClient();
        var markedSystem = new SystemApi(marked);
        var markedWacht = new WachtApi(marked);

        await AssertRouterPlansAsync("SYSTEM GET /web/v1/system/workspaces/mine", async () =>
            Assert.Equal(2, (await markedSystem.ListMineAsync(user)).Length));
        await AssertRouterPlansAsync("Wacht GET /me/workspace-memberships", async () =>
            Assert.Equal(2, (await markedWacht.WorkspaceMembershipsAsync(user)).Length));
        await AssertRouterPlansAsync("GET /web/v1/workspaces/{id}/roles (the membership check of a workspace endpoint)", async () =>
            (await markedSystem.GetAsync($"/web/v1/workspaces/{own}/roles", user.AccessToken)).AssertOk());
    }

    [Fact]
    public async Task The_write_mix_sends_router_plans_that_use_indexes()
    {
        CitusOnly.Require();
        var system = app.System;
        var owner = await system.SignUpAsync();
        var workspace = await system.CreateWorkspaceAsync(owner);
        var roles = (await system.GetAsync($"/web/v1/workspaces/{workspace}/roles", owner.AccessToken)).AssertOk().EnumerateArray().ToArray();
        var memberRole = roles.Single(r => r.GetProperty("roleName").GetString() == "Member").GetProperty("roleBizId").GetString()!;
        var editorRole = (await system.PostAsync($"/web/v1/workspaces/{workspace}/roles",
            new { roleName = "Editor", permissions = new[] { "workspace.read" } }, owner.AccessToken)).AssertOk().GetProperty("roleBizId").GetString()!;
        var invitee = await system.SignUpVerifiedAsync();
        // Others' memberships on every shard, so that a query that fans out meets rows everywhere.
        for (var i = 0; i < 4; i++)
        {
            await app.AddMemberAsync(workspace, (await system.SignUpAsync()).UserId);
        }
        var marked = new SystemApi(app.MarkedClient());

        // bench/writes.lua's cycle, step by step.
        string? invitation = null;
        await AssertRouterPlansAsync("invite: POST /web/v1/workspaces/{id}/invitations", async () =>
            invitation = (await marked.PostAsync($"/web/v1/workspaces/{workspace}/invitations", new { email = invitee.Email, roleBizId = memberRole }, owner.AccessToken))
                .AssertOk().GetProperty("invitationBizId").GetString());
        await AssertRouterPlansAsync("accept: POST /web/v1/tenant/invitations/{id}/accept", async () =>
            (await marked.PostAsync($"/web/v1/tenant/invitations/{invitation}/accept", token: invitee.AccessToken)).AssertOk());
        await AssertRouterPlansAsync("role change: POST /web/v1/workspaces/{id}/members/role/change", async () =>
            (await marked.PostAsync($"/web/v1/workspaces/{workspace}/members/role/change", new { userBizId = invitee.UserId, roleBizId = editorRole }, owner.AccessToken))
                .AssertOk());
        await AssertRouterPlansAsync("remove: DELETE /web/v1/workspaces/{id}/members/{userId}", async () =>
            (await marked.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{workspace}/members/{invitee.UserId}", token: owner.AccessToken)).AssertOk());
    }

    private async Task AssertRouterPlansAsync(string request, Func<Task> send)
    {
        app.Queries.Take();
        await send();
        var statements = app.Queries.Take().SelectMany(Statements).ToList();
        Assert.True(statements.Count > 0, $"{request}: no query was captured");
        await using var connection = new NpgsqlConnection(app.Database.PostgresConnectionString);
        await connection.OpenAsync();
        var problems = new List<string>();
        foreach (var statement in statements)
        {
            var plan = await ExplainAsync(connection, statement, sequentialScans: true);
            var tasks = TaskCount().Matches(plan).Select(m => int.Parse(m.Groups[1].Value, global::System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(tasks.Count > 0 || !plan.Contains(" on ", StringComparison.Ordinal), $"{request}: no Citus plan for\n{statement.Sql}\n{plan}");
            if (tasks.Any(t => t != 1) && !s_knownFanOuts.Keys.Any(statement.Sql.Contains))
            {
                problems.Add($"fans out to {tasks.Max()} shards:\n{statement.Sql}\n{plan}");
            }
            var indexOnly = await ExplainAsync(connection, statement, sequentialScans: false);
            var scanned = SequentialScan().Matches(indexOnly).Select(m => m.Groups[1].Value).Where(t => !s_fixedSizeTables.Contains(t)).Distinct().ToList();
            if (scanned.Count > 0)
            {
                problems.Add($"reads {string.Join(", ", scanned)} by a sequential scan (no index serves it):\n{statement.Sql}\n{indexOnly}");
            }
            var wholeIndexes = await WholeIndexScansAsync(connection, indexOnly);
            if (wholeIndexes.Count > 0)
            {
                problems.Add($"reads all of index {string.Join(", ", wholeIndexes)} (its first column is not in the condition):\n{statement.Sql}\n{indexOnly}");
            }
        }
        Assert.True(problems.Count == 0, $"{request}: {problems.Count} problem(s) in {statements.Count} statements:\n\n{string.Join("\n\n", problems)}");
    }

    /// <summary>
    /// Index scans whose condition does not start with the index's first column: the planner's only way
    /// left without sequential scans, as slow (an id looked up in a primary key that starts with the
    /// distribution column reads the whole key).
    /// </summary>
    private static async Task<List<string>> WholeIndexScansAsync(NpgsqlConnection connection, string plan)
    {
        var whole = new List<string>();
        foreach (Match scan in IndexScan().Matches(plan))
        {
            var (index, firstCondition) = (scan.Groups[1].Value, scan.Groups[2].Value);
            await using var command = new NpgsqlCommand("""
                SELECT a.attname FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
                WHERE i.relname = @index AND i.relnamespace = 'public'::regnamespace
                """, connection);
            command.Parameters.AddWithValue("index", index);
            var first = (string?)await command.ExecuteScalarAsync();
            if (first is not null && first != firstCondition && !s_fixedSizeTables.Any(index.Contains))
            {
                whole.Add($"{index} (starts with {first}, searched by {firstCondition})");
            }
        }
        return whole;
    }

    /// <summary>EF Core sends a unit of work's writes as one batch; each statement is explained on its own.</summary>
    private static IEnumerable<CapturedQueries.Query> Statements(CapturedQueries.Query query) =>
        query.Sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(sql => sql.TrimEnd(';'))
            .Where(sql => Explainable().IsMatch(sql))
            .Select(sql => query with { Sql = sql });

    /// <summary>
    /// The plan of the statement with its values, every task shown. Without sequential scans, the
    /// setting is sent to the workers too (Citus propagates SET LOCAL when told to), where the tasks are planned.
    /// </summary>
    private static async Task<string> ExplainAsync(NpgsqlConnection connection, CapturedQueries.Query query, bool sequentialScans)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var settings = new NpgsqlCommand(
            "SET LOCAL citus.explain_all_tasks = on; SET LOCAL citus.propagate_set_commands = 'local'; " +
            $"SET LOCAL enable_seqscan = {(sequentialScans ? "on" : "off")}", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync();
        }
        await using var command = new NpgsqlCommand("EXPLAIN " + query.Sql, connection, transaction);
        foreach (var parameter in query.Parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }
        await transaction.RollbackAsync();
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"Task Count: (\d+)")]
    private static partial Regex TaskCount();

    // A shard's name is its table's with the shard id appended.
    [GeneratedRegex(@"Seq Scan on ([a-z_]+?)(?:_\d+)?\b")]
    private static partial Regex SequentialScan();

    // An index scan (its shard's index: the name with the shard id appended) and the first column of its condition.
    [GeneratedRegex(@"Index (?:Only )?Scan (?:Backward )?(?:using|on) ([a-z_]+?)(?:_\d+)?\b[^\n]*\n\s*Index Cond: \(+(?:\w+\.)?(\w+)")]
    private static partial Regex IndexScan();

    [GeneratedRegex(@"^(SELECT|INSERT|UPDATE|DELETE|WITH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Explainable();
}
