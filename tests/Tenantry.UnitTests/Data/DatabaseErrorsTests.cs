using Npgsql;
using Tenantry.Data;
using Tenantry.Data.Providers;

namespace Tenantry.UnitTests.Data;

/// <summary>
/// A unique violation names the index that decided it; on Citus that is a shard's copy of the
/// index, whose name carries the shard id, and the name may only be in the relayed message.
/// </summary>
public sealed class DatabaseErrorsTests
{
    private static PostgresException UniqueViolation(string? constraint, string? message = null) =>
        new(message ?? "duplicate key value violates unique constraint", "ERROR", "ERROR", "23505", constraintName: constraint);

    [Theory]
    [InlineData("ux_invitations_one_pending", true)]
    [InlineData("ux_invitations_one_pending_102040", true)]
    [InlineData("ux_invitations_one_pending_x", false)]
    [InlineData("ux_invitations_one_pending_", false)]
    [InlineData("ux_invitations_one_pending_by_role", false)]
    [InlineData("ux_invitations", false)]
    public void A_shard_index_is_the_index_it_copies(string constraint, bool expected) =>
        Assert.Equal(expected, DatabaseErrors.IsUniqueViolation(UniqueViolation(constraint), UniqueKeys.PendingInvitation));

    [Fact]
    public void Without_a_constraint_name_the_message_names_it() =>
        Assert.True(DatabaseErrors.IsUniqueViolation(
            UniqueViolation(null, "duplicate key value violates unique constraint \"ux_workspaces_self_created_by_102009\""),
            UniqueKeys.SelfCreatedWorkspace));

    [Theory]
    [InlineData("40P01", true)] // a deadlock's victim (Citus: also a distributed deadlock) more often than the tries
    [InlineData("40001", true)]
    [InlineData("08006", true)]
    [InlineData("23505", false)]
    [InlineData("42P01", false)]
    public void A_deadlock_victim_is_answered_as_unavailable_not_as_a_bug(string sqlState, bool expected) =>
        Assert.Equal(expected, DatabaseErrors.IsUnavailable(new PostgresException("failed", "ERROR", "ERROR", sqlState)));

    [Theory]
    [InlineData("40P01", true)] // rolled back by the database, which says a second run may succeed
    [InlineData("40001", true)]
    [InlineData("08006", false)] // a lost connection: a commit may have been carried out
    [InlineData("57014", false)] // a statement cancelled by its timeout
    [InlineData("23505", false)]
    public void Only_a_rollback_the_database_calls_retryable_runs_a_unit_again(string sqlState, bool expected)
    {
        var error = new PostgresException("failed", "ERROR", "ERROR", sqlState);
        Assert.Equal(expected, DatabaseErrors.IsRetryableRollback(error));
        // As EF Core relays a failed SaveChanges.
        Assert.Equal(expected, DatabaseErrors.IsRetryableRollback(new Microsoft.EntityFrameworkCore.DbUpdateException("save failed", error)));
    }

    [Fact]
    public void A_timeout_or_a_lost_socket_is_never_run_again() =>
        Assert.False(DatabaseErrors.IsRetryableRollback(new NpgsqlException("read failed", new TimeoutException())));

    [Fact]
    public void Another_index_is_not_this_one() =>
        Assert.False(DatabaseErrors.IsUniqueViolation(UniqueViolation("ux_workspace_memberships_one_default_102011"), UniqueKeys.SelfCreatedWorkspace));
}
