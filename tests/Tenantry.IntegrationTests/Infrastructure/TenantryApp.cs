using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tenantry.Data;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// The real Tenantry server (the same Program, middleware, database and migrations) on a
/// Kestrel port on loopback, with its own fresh database. Tests talk to it over real HTTP.
/// Subclass and override <see cref="Configure"/> for a differently configured server.
/// </summary>
public class TenantryApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string PortalCode = "test-portal-code";
    public const string AdminKey = "test-admin-key-3f9d2c-81b7e46a0c95d2f3";

    private TestDatabase? _database;

    public Uri BaseAddress { get; private set; } = null!;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The app has not started.");

    public SystemApi System => new(CreateHttpClient());

    private ServerLog? _serverLog;

    /// <summary>The server's warnings and errors so far, for failure messages (every level from <see cref="ServerLogLevel"/>).</summary>
    public ServerLog ServerLog => _serverLog ??= new ServerLog(ServerLogLevel);

    /// <summary>The lowest level <see cref="ServerLog"/> keeps.</summary>
    protected virtual LogLevel ServerLogLevel => LogLevel.Warning;

    /// <summary>Settings on top of the defaults below (Tenantry:..., ConnectionStrings:...).</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = ServerSettings.For(Database);
        Configure(settings);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(ServerLog));
        builder.ConfigureTestServices(ConfigureServices);
    }

    /// <summary>A client for the real HTTP endpoint. Cookies are not kept automatically; tests send them explicitly.</summary>
    public HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Reads or seeds the app's database directly, for setting up cases and checking what was stored.</summary>
    public Task<T> WithDbAsync<T>(Func<TenantryDbContext, Task<T>> work) => Services.WithDbAsync(work);

    public Task WithDbAsync(Func<TenantryDbContext, Task> work) => Services.WithDbAsync(work);

    public Task<int> CountAsync<TEntity>(Func<IQueryable<TEntity>, IQueryable<TEntity>> filter) where TEntity : class => Services.CountAsync(filter);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
