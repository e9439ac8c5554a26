using Microsoft.EntityFrameworkCore;
using Tenantry.Data.Changes;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// The list stamp (<see cref="ListStamps"/>) the list caches' refreshes trust instead of reading rows
/// again: every table a list is read from has its triggers, and they move the stamp for writes made
/// through the service and by plain SQL, once committed and only then. Citus keeps no stamp.
/// </summary>
public sealed class ListStampTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private Task<long?> StampAsync() => app.WithDbAsync(db => ListStamps.ReadAsync(db));

    [Fact]
    public async Task Every_table_a_list_is_read_from_has_its_triggers_except_on_Citus()
    {
        foreach (var table in ListStamps.Tables)
        {
            var triggers = await app.WithDbAsync(db => TestDatabase.IsPostgres
                ? db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_trigger WHERE tgrelid = to_regclass({table}) AND tgname LIKE '%list_stamp'").SingleAsync()
                : db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND tbl_name = {table} AND name LIKE '%list_stamp'").SingleAsync());
            // PostgreSQL: rows (insert, update, delete) and truncate; SQLite: insert, update, delete.
            Assert.True(triggers == (TestDatabase.IsCitus ? 0 : TestDatabase.IsPostgres ? 2 : 3), $"{table}: {triggers} trigger(s)");
        }
    }

    [Fact]
    public async Task Citus_keeps_no_stamp_and_elsewhere_there_is_one()
    {
        var stamp = await StampAsync();
        Assert.Equal(TestDatabase.IsCitus, stamp is null);
    }

    [Fact]
    public async Task Writes_through_the_service_and_by_plain_SQL_move_the_stamp()
    {
        if (TestDatabase.IsCitus)
        {
            Assert.Null(await StampAsync());
            return;
        }
        var before = await StampAsync();
        var owner = await app.System.SignUpAsync();
        var workspaceId = await app.System.CreateWorkspaceAsync(owner);
        var afterCreate = await StampAsync();
        Assert.True(afterCreate > before, $"{before} then {afterCreate}");

        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE workspaces SET name = 'Renamed by hand' WHERE id = {workspaceId}"));
        var afterRename = await StampAsync();
        Assert.True(afterRename > afterCreate, $"{afterCreate} then {afterRename}");

        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM workspace_memberships WHERE workspace_id = {workspaceId}"));
        Assert.True(await StampAsync() > afterRename);
    }

    [Fact]
    public async Task A_write_rolled_back_leaves_the_stamp_where_it_was()
    {
        if (TestDatabase.IsCitus)
        {
            Assert.Null(await StampAsync());
            return;
        }
        var owner = await app.System.SignUpAsync();
        var workspaceId = await app.System.CreateWorkspaceAsync(owner);
        var before = await StampAsync();

        await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"UPDATE workspaces SET name = 'Never committed' WHERE id = {workspaceId}");
            await transaction.RollbackAsync();
        });

        Assert.Equal(before, await StampAsync());
    }
}
