using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tenantry.Domain.Audit;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// A use case whose transaction PostgreSQL rolls back as a deadlock's victim is run again from the start
/// (<c>Transactions.InTransactionAsync</c> under the provider's execution strategy): the request answers
/// <c>2000</c> and its write lands once. PostgreSQL only: SQLite takes one database-wide write lock, so
/// two of its transactions cannot deadlock, and its busy handling is unchanged.
/// </summary>
[Trait(PostgresOnly.Trait, PostgresOnly.Value)]
public sealed class TransactionRetryTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    /// <summary>
    /// A real deadlock: the test's own transaction holds the member's row; the role change locks the workspace
    /// row and waits for the member's; then the test asks for the workspace row. The request's backend waited
    /// first, so its deadlock check (after the server's deadlock_timeout) finds the cycle and cancels it; the
    /// test's session checks only after 10 s. Without the retry the answer is 5030. In the rare run where the
    /// test closes the cycle after the request has checked, the test's own session is the victim instead; the
    /// role change then went through once without a deadlock, and the test tries again.
    /// </summary>
    [Fact]
    public async Task A_deadlock_victim_is_run_again_and_its_write_lands_once()
    {
        PostgresOnly.Require();
        var owner = await _api.SignUpAsync();
        var ws = await _api.CreateWorkspaceAsync(owner);
        var member = await _api.SignUpAsync();
        await _api.JoinAsync(owner, ws, member);
        var roles = new[] { (await _api.CreateRoleAsync(owner, ws, "Editor", "workspace.read")).AssertOk().Text("roleBizId"), await _api.RoleIdAsync(owner, ws, "Member") };

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var role = roles[attempt % 2];
            var changesBefore = await RoleChangesAsync(ws);
            var deadlocksBefore = await DeadlocksAsync();
            var (answer, testWasVictim) = await ChangeRoleInDeadlockAsync(owner, ws, member.UserId, role);
            answer.AssertOk();
            Assert.Equal(changesBefore + 1, await RoleChangesAsync(ws));
            Assert.Equal(role, await app.WithDbAsync(db => db.WorkspaceMemberships.Where(m => m.WorkspaceId == ws && m.UserId == member.UserId).Select(m => m.RoleId).SingleAsync()));
            if (!testWasVictim)
            {
                // The request was the victim: the database counted the deadlock, and the request was run again.
                await Eventually.TrueAsync(async () => await DeadlocksAsync() > deadlocksBefore);
                return;
            }
        }
        Assert.Fail("The test's own session was the deadlock's victim three times.");
    }

    private async Task<(ApiResponse Answer, bool TestWasVictim)> ChangeRoleInDeadlockAsync(TestUser owner, string ws, string userId, string roleId)
    {
        await using var connection = new NpgsqlConnection(app.Database.PostgresConnectionString!);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, "SET LOCAL deadlock_timeout = '10s'");
        var backend = (int)(await ScalarAsync(connection, "SELECT pg_backend_pid()"))!;
        await ExecuteAsync(connection, "UPDATE workspace_memberships SET updated_at = updated_at WHERE workspace_id = @ws AND user_id = @user", ("ws", ws), ("user", userId));

        var change = _api.ChangeRoleAsync(owner, ws, userId, roleId);
        // The role change holds the workspace's row lock and waits for the member's row, held here.
        await Eventually.TrueAsync(async () => change.IsCompleted || await app.WithDbAsync(probe => probe.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE {backend} = ANY(pg_blocking_pids(pid)) AND query LIKE '%workspace_memberships%'")
            .SingleAsync()) > 0, TimeSpan.FromSeconds(60));
        Assert.False(change.IsCompleted, $"The role change answered while the test held the member's row: {(change.IsCompleted ? await change : null)}");

        var testWasVictim = false;
        try
        {
            // Closes the cycle: waits for the workspace row the role change holds, until the role change is cancelled.
            await ExecuteAsync(connection, "UPDATE workspaces SET version = version WHERE id = @ws", ("ws", ws));
            await transaction.CommitAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected)
        {
            testWasVictim = true;
        }
        return (await change, testWasVictim);
    }

    private Task<int> RoleChangesAsync(string ws) =>
        app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.WorkspaceId == ws && e.Action == AuditActions.MemberRoleChanged));

    private async Task<long> DeadlocksAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.PostgresConnectionString!);
        await connection.OpenAsync();
        return (long)(await ScalarAsync(connection, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
