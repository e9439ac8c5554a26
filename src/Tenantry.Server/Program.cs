using Tenantry.Data.Providers;
using Tenantry.Server.Hosting;

// Commands: (none) serve; "migrate" apply pending migrations and exit.
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var settings = command == "serve" ? args : args[1..];

var builder = WebApplication.CreateBuilder(settings);
builder.AddTenantry();
var app = builder.Build();

switch (command)
{
    case "migrate":
        await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);
        Console.WriteLine("Database schema is up to date.");
        return 0;
    case "serve":
        await app.PrepareAsync(app.Lifetime.ApplicationStopping);
        app.UseTenantry();
        app.MapTenantry();
        app.PrintBannerWhenStarted();
        await app.RunAsync();
        return 0;
    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Commands: migrate. With no command the server starts.");
        return 2;
}

/// <summary>Entry point type, public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
