namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// Test classes that run while no other test class runs (xunit runs a collection that disables
/// parallelization after all parallel ones, one class at a time): timing measurements (other
/// classes' load would read as a difference), the fuzz run (its load would make other classes'
/// races, such as a 413 before the body ends, flaky), and the database fault tests (they bound
/// how fast errors are answered and count requests, which other classes' load on two cores would skew).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "Runs alone";
}
