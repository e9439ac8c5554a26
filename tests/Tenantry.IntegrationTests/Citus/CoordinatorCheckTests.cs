using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Citus;

/// <summary>
/// Advisory locks and LISTEN/NOTIFY are per node in Citus, so every connection must reach the
/// coordinator: a server whose connection string names a worker does not start, and says why.
/// </summary>
[Trait(CitusOnly.Trait, CitusOnly.Value)]
public sealed class CoordinatorCheckTests
{
    /// <summary>The same server, pointed at a worker's copy of its database.</summary>
    private sealed class WorkerApp : TenantryApp
    {
        protected override void Configure(IDictionary<string, string?> settings) =>
            settings["ConnectionStrings:Postgres"] = Database.CitusWorkerConnectionStrings.First();
    }

    [Fact]
    public async Task A_server_pointed_at_a_worker_refuses_to_start()
    {
        CitusOnly.Require();
        var app = new WorkerApp();
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(((IAsyncLifetime)app).InitializeAsync);
            var messages = string.Join(" | ", Flatten(failure).Select(e => e.Message));
            Assert.Contains("not the coordinator", messages);
            Assert.Contains("advisory locks and LISTEN/NOTIFY are per node", messages);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
