using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenantry.Server.Hosting;

// The server. Its database is migrated at start-up; `migrate` and `seed` are commands of the
// tenantry CLI (src/Tenantry.Cli), which works on the database with the same settings.
if (args.Length > 0 && args[0] is "migrate" or "seed")
{
    Console.Error.WriteLine($"'{args[0]}' moved to the tenantry CLI: dotnet run --project src/Tenantry.Cli -- {args[0]} (or `tenantry {args[0]}` once installed).");
    return 2;
}

var builder = WebApplication.CreateBuilder(args);
if (TenantryOpenApi.IsBuildTimeGeneration)
{
    // The build runs the app only to write openapi/*.json: map the operator API too, and touch no real data.
    builder.Configuration["Tenantry:AdminApiKey"] = "build-time-document-generation-only-0000";
    builder.Configuration["Tenantry:DataDir"] = Path.Combine(Path.GetTempPath(), "tenantry-openapi-" + Environment.ProcessId);
}
builder.AddTenantry();
if (TenantryOpenApi.IsBuildTimeGeneration)
{
    // No outbox, sweeper or key-ring work while only the documents are written.
    builder.Services.RemoveAll<IHostedService>();
}
var app = builder.Build();

if (!TenantryOpenApi.IsBuildTimeGeneration)
{
    await app.PrepareAsync(app.Lifetime.ApplicationStopping);
    app.PrintBannerWhenStarted();
}
app.UseTenantry();
app.MapTenantry();
await app.RunAsync();
return 0;

/// <summary>Entry point type, public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
