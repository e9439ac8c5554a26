using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenantry.Data.Providers;
using Tenantry.Server.Cli.Seed;
using Tenantry.Server.Hosting;

// Commands: (none) serve; "migrate" apply pending migrations and exit; "seed" load a benchmark dataset and exit.
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var settings = command == "serve" ? args : args[1..];

SeedOptions? seed = null;
if (command == "seed")
{
    if (!SeedCommand.TryParse(settings, out var parsed, out settings, out var error))
    {
        Console.Error.WriteLine($"{error}\nUsage: {SeedCommand.Usage}");
        return 2;
    }
    seed = parsed;
}

var builder = WebApplication.CreateBuilder(settings);
if (TenantryOpenApi.IsBuildTimeGeneration)
{
    // The build runs the app only to write openapi/*.json: map the operator API too, and touch no real data.
    builder.Configuration["Tenantry:AdminApiKey"] = "build-time-document-generation";
    builder.Configuration["Tenantry:DataDir"] = Path.Combine(Path.GetTempPath(), "tenantry-openapi-" + Environment.ProcessId);
}
builder.AddTenantry();
if (TenantryOpenApi.IsBuildTimeGeneration)
{
    // No outbox, sweeper or key-ring work while only the documents are written.
    builder.Services.RemoveAll<IHostedService>();
}
var app = builder.Build();

switch (command)
{
    case "migrate":
        await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);
        Console.WriteLine("Database schema is up to date.");
        return 0;
    case "seed":
        return await SeedCommand.RunAsync(app.Services, seed!, CancellationToken.None);
    case "serve":
        if (!TenantryOpenApi.IsBuildTimeGeneration)
        {
            await app.PrepareAsync(app.Lifetime.ApplicationStopping);
        }
        app.UseTenantry();
        app.MapTenantry();
        if (!TenantryOpenApi.IsBuildTimeGeneration)
        {
            app.PrintBannerWhenStarted();
        }
        await app.RunAsync();
        return 0;
    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Commands: migrate, seed. With no command the server starts.");
        return 2;
}

/// <summary>Entry point type, public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
