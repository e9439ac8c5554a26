using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// Two server processes, A and B, started together on one fresh PostgreSQL database, as two
/// replicas behind a load balancer. Signing keys rotate every few seconds so that rotations
/// happen while the tests run.
/// </summary>
public sealed class ReplicaPair : IAsyncLifetime
{
    /// <summary>How long a key signs; short so that the tests see rotations.</summary>
    public static readonly TimeSpan Rotation = TimeSpan.FromSeconds(8);

    /// <summary>How long before it signs a key is published; must exceed the refresh interval.</summary>
    public static readonly TimeSpan PublishLead = TimeSpan.FromSeconds(3);

    /// <summary>How often each replica re-reads the key ring.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the replicas' caches may serve an entry: long, so that a change through one replica
    /// showing on the other within <see cref="BroadcastBound"/> can only be the broadcast's doing.
    /// </summary>
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromMinutes(1);

    /// <summary>How long a test waits for a replica to apply another's change (it takes milliseconds; the rest is slack for a loaded machine).</summary>
    public static readonly TimeSpan BroadcastBound = TimeSpan.FromSeconds(5);

    private TestDatabase? _database;

    public ServerProcess A { get; private set; } = null!;
    public ServerProcess B { get; private set; } = null!;
    public DirectDatabase Db { get; private set; } = null!;

    public IEnumerable<ServerProcess> Both => [A, B];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreatePostgresAsync();
        var settings = ServerSettings.For(_database, new Dictionary<string, string?>
        {
            ["Tenantry:Auth:SigningKeyRotation"] = Rotation.ToString(),
            ["Tenantry:Auth:SigningKeyPublishLead"] = PublishLead.ToString(),
            ["Tenantry:Auth:KeyRingRefreshInterval"] = RefreshInterval.ToString(),
            ["Tenantry:Cache:MaxStaleness"] = MaxStaleness.ToString(),
        });
        var a = ServerProcess.StartAsync("A", settings);
        var b = ServerProcess.StartAsync("B", settings);
        try
        {
            await Task.WhenAll(a, b);
        }
        catch
        {
            foreach (var started in new[] { a, b }.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }
            await _database.DisposeAsync();
            throw;
        }
        (A, B) = (a.Result, b.Result);
        Db = new DirectDatabase(_database);
    }

    /// <summary>Both logs, for failure messages.</summary>
    public string Logs() => A.LogTail() + "\n" + B.LogTail();

    public async Task DisposeAsync()
    {
        // Null when InitializeAsync failed part-way; it cleans up after itself then.
        if (Db is null)
        {
            return;
        }
        await Task.WhenAll(A.DisposeAsync().AsTask(), B.DisposeAsync().AsTask());
        await Db.DisposeAsync();
        await _database!.DisposeAsync();
    }
}
