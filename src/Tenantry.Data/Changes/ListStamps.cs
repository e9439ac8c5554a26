using Microsoft.EntityFrameworkCore;

namespace Tenantry.Data.Changes;

/// <summary>
/// A counter the database itself moves on every committed change to a table the membership lists
/// are read from (<see cref="Tables"/>), whoever makes it: the service, another replica or plain
/// SQL. Triggers keep it (migration <c>ListStamps</c>). A list cache's background refresh reads it
/// first: when it has not moved since an entry's rows were read, nothing that entry shows can
/// have changed, and the entry is kept without reading its rows again.
/// </summary>
/// <remarks>
/// <para>The count is read before the rows it vouches for, and a change moves it in the same
/// commit that makes the change visible, so an entry is never vouched for by a count newer than
/// its rows: at worst a refresh reads rows that had not changed.</para>
/// <para>PostgreSQL keeps it in 16 rows and a commit moves the row its transaction id picks, once
/// per transaction and only at commit (a deferred trigger), so writers do not queue on one row
/// and no lock is taken after it. SQLite, with one writer, keeps one row. Citus keeps none:
/// triggers on its distributed tables would run on the workers, so there is no count and every
/// refresh reads the rows.</para>
/// </remarks>
public static class ListStamps
{
    /// <summary>Every table a cached membership list (SYSTEM rows, the Wacht membership view) is read from.</summary>
    public static readonly IReadOnlyList<string> Tables =
    [
        "workspace_memberships", "workspaces", "workspace_roles", "institutions", "organization_memberships",
        "segments", "workspace_segments", "institution_segments",
    ];

    /// <summary>The count now, or null where the database keeps none (Citus).</summary>
    public static async Task<long?> ReadAsync(TenantryDbContext db, CancellationToken cancellationToken = default) =>
        // SUM over no rows is NULL: a database without the rows has no count.
        await db.Database.SqlQueryRaw<long?>("SELECT CAST(SUM(value) AS BIGINT) AS \"Value\" FROM list_stamps").SingleAsync(cancellationToken);
}
