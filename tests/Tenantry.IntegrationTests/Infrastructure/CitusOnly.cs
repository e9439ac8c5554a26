namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// The trait of tests that only make sense on Citus (query plans of a distributed schema, the
/// coordinator check). ./test.sh runs them in the Citus pass only and excludes them from the
/// SQLite and PostgreSQL passes with <c>--filter "Requires!=Citus"</c>. Run by hand elsewhere they
/// fail with an explanation, they never skip.
/// </summary>
public static class CitusOnly
{
    public const string Trait = "Requires";
    public const string Value = "Citus";

    /// <summary>Throws, with the explanation above, unless this run's database is Citus.</summary>
    public static void Require()
    {
        if (!TestDatabase.IsCitus)
        {
            throw new InvalidOperationException(
                $"This test needs Citus, but TENANTRY_TEST_DATABASE is '{TestDatabase.ProviderUnderTest}'. It is marked " +
                $"[Trait(\"{Trait}\", \"{Value}\")]: ./test.sh runs it in the Citus pass only. To run it by hand start a cluster " +
                "(../shared/tools/citus-cluster.sh up DIR) and set TENANTRY_TEST_DATABASE=citus and TENANTRY_TEST_POSTGRES " +
                "(the coordinator's connection string that `up` prints).");
        }
    }
}
