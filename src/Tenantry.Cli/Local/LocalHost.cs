using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tenantry.Application;
using Tenantry.Application.Accounts;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Data.Security;

namespace Tenantry.Cli.Local;

/// <summary>Where the database is, read from the same settings as the server's.</summary>
internal sealed record LocalSettings(string DataDir, DatabaseOptions Database);

/// <summary>
/// The services the local commands (<c>migrate</c>, <c>seed</c>) need: the database, the use cases'
/// machinery (password hashing, signing keys) and Data Protection on the database's key ring,
/// configured exactly as the server configures them, from the same settings: environment variables
/// (<c>Tenantry__DataDir</c>, <c>Tenantry__Database__Provider</c>, <c>ConnectionStrings__Postgres</c>, ...)
/// and <c>--Tenantry:...</c> arguments.
/// </summary>
internal static class LocalHost
{
    public static ServiceProvider Build(IEnumerable<string> settingArgs)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Tenantry:DataDir"] = "./data" })
            .AddEnvironmentVariables()
            .AddCommandLine([.. settingArgs])
            .Build();
        var section = configuration.GetSection("Tenantry");
        var database = section.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        database.PostgresConnectionString ??= configuration.GetConnectionString("Postgres");
        if (database.Provider != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(database.PostgresConnectionString))
        {
            throw new CliException(CliExit.Usage, $"Tenantry:Database:Provider is {database.Provider}, but ConnectionStrings:Postgres is not set.");
        }
        var settings = new LocalSettings(Path.GetFullPath(section["DataDir"]!), database);

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(settings);
        services.Configure<AuthOptions>(section.GetSection("Auth"));
        services.AddTenantryDatabase(database, settings.DataDir);
        services.AddTenantryApplication();
        services.AddTenantryDataProtection(section["DataProtection:CertificatePath"], section["DataProtection:CertificatePassword"]);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(settings.DataDir);
        }
        return services.BuildServiceProvider();
    }
}
