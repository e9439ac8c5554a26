namespace Tenantry.Data.Providers;

/// <summary>Which database to use and how to reach it (configuration: Tenantry:Database, ConnectionStrings:Postgres).</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite file; relative paths resolve against the data dir.</summary>
    public string SqliteFile { get; set; } = "tenantry.db";

    public string? PostgresConnectionString { get; set; }

    /// <summary>How long a query may run before it is abandoned and the request answers 503.</summary>
    public int CommandTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// How long <c>/health/ready</c> waits for PostgreSQL before it answers 503. Opening a connection for a request
    /// keeps the connection string's <c>Timeout</c> (Npgsql's 15 s unless it is set there).
    /// </summary>
    public int ConnectTimeoutSeconds { get; set; } = 3;

    /// <summary>
    /// How many of a connection's most used statements PostgreSQL keeps prepared (Npgsql's
    /// <c>Max Auto Prepare</c>; applied unless the connection string sets it). A request that misses
    /// the caches runs several small queries, and without this PostgreSQL parses and plans each of
    /// them every time: on the benchmark's cold path that was a third of the work. Set it to 0
    /// behind a pooler in transaction mode that does not track prepared statements.
    /// </summary>
    public int AutoPrepareStatements { get; set; } = 50;

    /// <summary>How long one migration statement may run (start-up and the <c>migrate</c> command).</summary>
    public int MigrationTimeoutSeconds { get; set; } = 600;
}
