using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Tenantry.Data.Providers.Citus;

/// <summary>
/// Where each table of the PostgreSQL schema lives on Citus, and the step that puts it there
/// after the PostgreSQL migrations (docs/DEPLOYMENT.md §3 says why each table is where it is).
/// Citus needs a table created, then distributed, then given its foreign keys; the step drops
/// the foreign keys that touch the tables it places, places them (reference tables first),
/// widens the keys Citus requires to contain the distribution column, and adds the foreign
/// keys back, all in one transaction: a failure leaves the schema as PostgreSQL's migrations
/// made it, and a second run finds nothing to do. The caller holds the migration lock.
/// </summary>
public static class CitusDistribution
{
    /// <summary>A table's place: a reference table (copied to every node) or distributed by a column.</summary>
    public sealed record Placement(string Table, string? DistributionColumn)
    {
        public bool IsReference => DistributionColumn is null;
    }

    private static Placement Reference(string table) => new(table, null);
    private static Placement By(string column, string table) => new(table, column);

    /// <summary>
    /// Every table of the schema. A table a migration adds must be placed here, or the Citus
    /// start-up fails naming it: nothing ends up as a coordinator-only table by accident.
    /// </summary>
    public static readonly IReadOnlyList<Placement> Plan =
    [
        // The directory: read on every request (names, policies, roles, permissions), written
        // rarely. As reference tables every node holds them, so a user-keyed query joins them
        // locally, and their unique indexes (one self-created workspace per user, unique role
        // names, slugs, email addresses) stay as they are.
        Reference("users"),
        Reference("institutions"),
        Reference("workspaces"),
        Reference("workspace_roles"),
        Reference("segments"),
        Reference("workspace_segments"),
        Reference("institution_segments"),
        Reference("email_verifications"), // unique token hash, keyed by user: both kept only as a reference table
        Reference("password_resets"), // keyed by user with a foreign key to users, written only when someone forgets a password
        Reference("signing_keys"),
        Reference("list_stamps"), // empty on Citus: its triggers would run on the workers (Changes/ListStamps)
        Reference("data_protection_keys"),

        // A user's standing: the hot path reads them by user ("list my workspaces" in both
        // dialects, the membership check of a workspace endpoint names the user too), and the
        // per-user rules (one default workspace, one active organization) are unique indexes on user_id.
        By("user_id", "workspace_memberships"),
        By("user_id", "organization_memberships"),
        By("user_id", "mfa_totp_authenticators"),
        By("user_id", "mfa_recovery_codes"),
        By("user_id", "account_events"),

        // Sessions by their own id: the session check of every request names it (the access
        // token's sid); refresh tokens live with their session.
        By("id", "sessions"),
        By("session_id", "refresh_tokens"),
        By("token_hash", "mfa_challenges"),

        // What a tenant does over time: invitations and its audit trail.
        By("institution_id", "invitations"),
        By("institution_id", "audit_events"),

        // Webhooks by endpoint (each belongs to one institution): the dispatcher joins an
        // endpoint to its deliveries on the endpoint id, and a delivery is unique per event and endpoint.
        By("id", "webhook_endpoints"),
        By("endpoint_id", "webhook_deliveries"),

        // Infrastructure rows addressed by their own key.
        By("id", "outbox_messages"),
        By("key", "auth_lockouts"),
        By("id", "spent_tokens"),
        By("id", "secure_channels"),
        By("channel_id", "secure_channel_nonces"),
    ];

    /// <summary>
    /// Unique indexes that gain the distribution column in front, each because the columns it
    /// had already decide that column (so the rule is the same). Primary keys of distributed
    /// tables gain it too: they are random ids, unique by construction, and EF Core still
    /// addresses rows by them. Any other unique index without the distribution column stops the step.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> WidenedUniqueIndexes = new Dictionary<string, string>
    {
        // A workspace belongs to one institution: one pending invitation per email and workspace.
        [UniqueKeys.PendingInvitation.IndexName] = "institution_id",
    };

    /// <summary>
    /// Makes EF Core name the distribution column in every UPDATE and DELETE it writes for a tracked
    /// row (as a concurrency token: the column never changes, so the condition holds exactly when the
    /// row is still there, as before). Rows are addressed by <c>id</c>, which does not tell Citus the
    /// shard: without the column each statement went to every shard and found the row by a full scan
    /// of the shard's primary key (it starts with the distribution column), a cost that grew with the
    /// table. Part of the one model, so every provider writes the same statements.
    /// </summary>
    public static void NameDistributionColumnsInWrites(ModelBuilder modelBuilder)
    {
        foreach (var placement in Plan.Where(p => !p.IsReference))
        {
            var entity = modelBuilder.Model.GetEntityTypes().SingleOrDefault(e => e.GetTableName() == placement.Table);
            if (entity is null)
            {
                continue; // a table the model does not map; the Citus step still places it
            }
            var column = entity.GetProperties().SingleOrDefault(p => SnakeCase(p.Name) == placement.DistributionColumn)
                ?? throw new InvalidOperationException($"Citus: {placement.Table} has no property for its distribution column {placement.DistributionColumn}.");
            if (entity.FindPrimaryKey()?.Properties.Contains(column) == true)
            {
                continue; // rows are addressed by a key that holds the distribution column already
            }
            column.IsConcurrencyToken = true;
        }
    }

    // The naming convention's column name of a property (UserId: user_id), known before the model is finalized.
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Places every table that is not placed yet; true when it changed anything.</summary>
    public static async Task<bool> ApplyAsync(NpgsqlDataSource dataSource, int commandTimeoutSeconds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var sql = new Sql(connection, commandTimeoutSeconds);
        await RequireCoordinatorAsync(sql, cancellationToken);

        var tables = await sql.ListAsync("""
            SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE '\_\_EF%'
            ORDER BY 1
            """, cancellationToken);
        var planned = Plan.Select(p => p.Table).ToHashSet(StringComparer.Ordinal);
        var unplanned = tables.Where(t => !planned.Contains(t)).ToList();
        if (unplanned.Count > 0)
        {
            throw new InvalidOperationException(
                $"Citus: no placement for table(s) {string.Join(", ", unplanned)}. Add each to CitusDistribution.Plan (reference or distributed, and why).");
        }
        var placed = (await sql.ListAsync("SELECT logicalrelid::regclass::text FROM pg_dist_partition", cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var pending = Plan.Where(p => tables.Contains(p.Table) && !placed.Contains(p.Table)).ToList();
        if (pending.Count == 0)
        {
            // A database placed before the lookup indexes existed gets them now.
            return await AddKeyLookupIndexesAsync(sql, cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // DDL on reference and distributed tables in one transaction needs one connection per node.
        await sql.ExecuteAsync("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'", cancellationToken);

        var names = pending.Select(p => p.Table).ToArray();
        var foreignKeys = await sql.RowsAsync("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f' AND (conrelid::regclass::text = ANY(@tables) OR confrelid::regclass::text = ANY(@tables))
            ORDER BY 1, 2
            """, cancellationToken, ("tables", names));
        foreach (var fk in foreignKeys)
        {
            await sql.ExecuteAsync($"ALTER TABLE {Quote(fk[0])} DROP CONSTRAINT {Quote(fk[1])}", cancellationToken);
        }

        foreach (var placement in pending.Where(p => !p.IsReference))
        {
            await WidenKeysAsync(sql, placement, cancellationToken);
        }
        foreach (var placement in pending.Where(p => p.IsReference))
        {
            await sql.ExecuteAsync($"SELECT create_reference_table('{placement.Table}')", cancellationToken);
        }
        foreach (var placement in pending.Where(p => !p.IsReference))
        {
            await sql.ExecuteAsync($"SELECT create_distributed_table('{placement.Table}', '{placement.DistributionColumn}')", cancellationToken);
        }

        foreach (var fk in foreignKeys)
        {
            await sql.ExecuteAsync($"ALTER TABLE {Quote(fk[0])} ADD CONSTRAINT {Quote(fk[1])} {fk[2]}", cancellationToken);
        }
        await AddKeyLookupIndexesAsync(sql, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// A plain index on what a widened primary key held before the distribution column was put in
    /// front (<c>id</c>): some lookups cannot name the distribution column (an invitation accepted by
    /// its id, the audit event an outbox message names, a Wacht membership id), so they ask every
    /// shard, and without this index each shard answered with a full scan. It cannot be unique on
    /// Citus; the widened key keeps the random ids unique. Idempotent; true when it added one.
    /// </summary>
    private static async Task<bool> AddKeyLookupIndexesAsync(Sql sql, CancellationToken cancellationToken)
    {
        var distributed = Plan.Where(p => !p.IsReference).Select(p => p.Table).ToArray();
        // Primary keys of distributed tables whose first column is the distribution column, with the columns after it.
        var keys = await sql.RowsAsync("""
            SELECT t.relname,
                   string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord),
                   'ix_' || t.relname || '_' || string_agg(a.attname, '_' ORDER BY k.ord) || '_lookup'
            FROM pg_index x
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_dist_partition d ON d.logicalrelid = x.indrelid
            JOIN pg_attribute dc ON dc.attrelid = x.indrelid AND dc.attnum = x.indkey[0]
            CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
            WHERE x.indisprimary AND t.relname = ANY(@tables) AND x.indnatts > 1 AND k.ord > 1
              AND dc.attname = column_to_column_name(d.logicalrelid, d.partkey)
            GROUP BY t.relname
            ORDER BY 1
            """, cancellationToken, ("tables", distributed));
        var added = false;
        foreach (var (table, columns, name) in keys.Select(r => (r[0], r[1], r[2])))
        {
            if (await sql.ScalarAsync($"SELECT to_regclass('{name}')::text", cancellationToken) is null)
            {
                await sql.ExecuteAsync($"CREATE INDEX {Quote(name)} ON {Quote(table)} ({columns})", cancellationToken);
                added = true;
            }
        }
        return added;
    }

    /// <summary>
    /// Fails unless the connection reaches a Citus coordinator: advisory locks (migrations,
    /// signing keys, the Data Protection key ring) and LISTEN/NOTIFY (the caches' change feed)
    /// are per node, so every replica must talk to the same node, the coordinator.
    /// </summary>
    public static async Task RequireCoordinatorAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireCoordinatorAsync(new Sql(connection, 30), cancellationToken);
    }

    private static async Task RequireCoordinatorAsync(Sql sql, CancellationToken cancellationToken)
    {
        var version = await sql.ScalarAsync("SELECT extversion FROM pg_extension WHERE extname = 'citus'", cancellationToken);
        if (version is null)
        {
            throw new InvalidOperationException(
                "Tenantry:Database:Provider is Citus, but the database of ConnectionStrings:Postgres has no citus extension (CREATE EXTENSION citus, on every node).");
        }
        // The coordinator is group 0; workers carry their own group id.
        var group = await sql.ScalarAsync("SELECT groupid::text FROM pg_dist_local_group", cancellationToken);
        if (group != "0")
        {
            throw new InvalidOperationException(
                "Tenantry:Database:Provider is Citus, but ConnectionStrings:Postgres reaches a worker node (group " + group + "), not the coordinator. " +
                "Every connection must go to the coordinator: advisory locks and LISTEN/NOTIFY are per node.");
        }
    }

    private static async Task WidenKeysAsync(Sql sql, Placement placement, CancellationToken cancellationToken)
    {
        var column = placement.DistributionColumn!;
        // Unique indexes (primary keys included) that do not contain the distribution column.
        var keys = await sql.RowsAsync("""
            SELECT i.relname, x.indisprimary::text, pg_get_indexdef(x.indexrelid),
                   (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)
                    FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = @table::regclass AND x.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                              WHERE a.attrelid = x.indrelid AND a.attname = @column AND a.attnum = ANY(x.indkey))
            """, cancellationToken, ("table", placement.Table), ("column", column));
        foreach (var key in keys)
        {
            var (name, primary, definition, columns) = (key[0], key[1] == "true", key[2], key[3]);
            if (primary)
            {
                await sql.ExecuteAsync(
                    $"ALTER TABLE {Quote(placement.Table)} DROP CONSTRAINT {Quote(name)}, ADD CONSTRAINT {Quote(name)} PRIMARY KEY ({Quote(column)}, {columns})",
                    cancellationToken);
            }
            else if (WidenedUniqueIndexes.TryGetValue(name, out var widenBy) && widenBy == column)
            {
                const string Columns = "USING btree (";
                await sql.ExecuteAsync($"DROP INDEX {Quote(name)}", cancellationToken);
                await sql.ExecuteAsync(definition.Replace(Columns, $"{Columns}{Quote(column)}, ", StringComparison.Ordinal), cancellationToken);
            }
            else
            {
                throw new InvalidOperationException(
                    $"Citus: unique index {name} on {placement.Table} lacks the distribution column {column}. " +
                    "Decide how its rule holds on Citus (CitusDistribution.WidenedUniqueIndexes, another key, or a user-keyed table) and document it.");
            }
        }
    }

    private static string Quote(string identifier) => identifier.StartsWith('"') ? identifier : $"\"{identifier}\"";

    /// <summary>Plain commands on one connection, in its current transaction if any.</summary>
    private sealed class Sql(NpgsqlConnection connection, int timeoutSeconds)
    {
        public async Task ExecuteAsync(string text, CancellationToken cancellationToken)
        {
            await using var command = Command(text, []);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<string?> ScalarAsync(string text, CancellationToken cancellationToken)
        {
            await using var command = Command(text, []);
            return (await command.ExecuteScalarAsync(cancellationToken)) as string;
        }

        public async Task<List<string>> ListAsync(string text, CancellationToken cancellationToken) =>
            [.. (await RowsAsync(text, cancellationToken)).Select(row => row[0])];

        public async Task<List<string[]>> RowsAsync(string text, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
        {
            await using var command = Command(text, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<string[]>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new string[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.GetValue(i)?.ToString() ?? "";
                }
                rows.Add(row);
            }
            return rows;
        }

        private NpgsqlCommand Command(string text, (string Name, object Value)[] parameters)
        {
            var command = new NpgsqlCommand(text, connection) { CommandTimeout = timeoutSeconds };
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
            return command;
        }
    }
}
