namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// The trait of tests that only make sense on PostgreSQL (several server processes on one
/// database, PostgreSQL stopped under load). ./test.sh excludes them from the SQLite pass with
/// <c>--filter "Requires!=PostgreSQL"</c> and says so in its output; in the PostgreSQL pass they
/// run with the rest. Run by hand on SQLite they fail with an explanation, they never skip.
/// </summary>
public static class PostgresOnly
{
    public const string Trait = "Requires";
    public const string Value = "PostgreSQL";
}
