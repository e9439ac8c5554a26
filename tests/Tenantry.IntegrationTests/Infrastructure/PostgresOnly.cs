namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// The trait of tests that only make sense on PostgreSQL (several server processes on one
/// database, PostgreSQL stopped under load, a lock wait observed in <c>pg_stat_activity</c>). ./test.sh excludes them from the SQLite pass with
/// <c>--filter "Requires!=PostgreSQL"</c> and says so in its output; in the PostgreSQL pass they
/// run with the rest. Run by hand on SQLite they fail with an explanation, they never skip.
/// </summary>
public static class PostgresOnly
{
    public const string Trait = "Requires";
    public const string Value = "PostgreSQL";

    /// <summary>Throws, with the explanation above, unless this run's database is PostgreSQL.</summary>
    public static void Require()
    {
        if (!TestDatabase.IsPostgres)
        {
            throw new InvalidOperationException(
                $"This test needs PostgreSQL, but TENANTRY_TEST_DATABASE is '{TestDatabase.ProviderUnderTest}'. It is marked " +
                $"[Trait(\"{Trait}\", \"{Value}\")]: ./test.sh runs it in the PostgreSQL pass and excludes it " +
                $"from the SQLite pass with --filter \"{Trait}!={Value}\". To run it by hand set " +
                "TENANTRY_TEST_DATABASE=postgres and TENANTRY_TEST_POSTGRES (an admin connection string).");
        }
    }
}
