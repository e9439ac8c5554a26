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
    [InlineData("40P01", true)] // a deadlock's victim (Citus: also a distributed deadlock): rolled back, worth trying again
    [InlineData("08006", true)]
    [InlineData("23505", false)]
    [InlineData("42P01", false)]
    public void A_deadlock_victim_is_answered_as_unavailable_not_as_a_bug(string sqlState, bool expected) =>
        Assert.Equal(expected, DatabaseErrors.IsUnavailable(new PostgresException("failed", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void Another_index_is_not_this_one() =>
        Assert.False(DatabaseErrors.IsUniqueViolation(UniqueViolation("ux_workspace_memberships_one_default_102011"), UniqueKeys.SelfCreatedWorkspace));
}
