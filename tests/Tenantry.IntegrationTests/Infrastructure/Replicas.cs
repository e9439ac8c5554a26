namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>A second server on the database of <paramref name="primary"/>: two replicas, as deployed behind a load balancer.</summary>
public sealed class ReplicaApp(TenantryApp primary, Action<IDictionary<string, string?>>? configure = null) : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in primary.Database.Settings)
        {
            settings[key] = value;
        }
        configure?.Invoke(settings);
    }
}

/// <summary>Two replicas of one deployment sharing one database (and so one key ring).</summary>
public class TwoReplicas : IAsyncLifetime
{
    private TenantryApp? _first;
    private ReplicaApp? _second;

    public TenantryApp First => _first!;
    public TenantryApp Second => _second!;

    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    public async Task InitializeAsync()
    {
        _first = new ConfiguredApp(Configure);
        await _first.InitializeAsync();
        _second = new ReplicaApp(_first, Configure);
        await _second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await ((IAsyncLifetime)_second).DisposeAsync();
        }
        if (_first is not null)
        {
            await ((IAsyncLifetime)_first).DisposeAsync();
        }
    }

    private sealed class ConfiguredApp(Action<IDictionary<string, string?>> configure) : TenantryApp
    {
        protected override void Configure(IDictionary<string, string?> settings) => configure(settings);
    }
}
