using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data.Providers;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.OperatorApi;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.SystemApi;
using Tenantry.Server.Dialects.WachtApi;
using Tenantry.Server.Localization;
using Tenantry.Server.Operability;
using Tenantry.Server.Security;

namespace Tenantry.Server.Hosting;

public static class TenantryPipeline
{
    /// <summary>Schema up to date, the key ring and signing keys ready: what must hold before the first request.</summary>
    public static async Task PrepareAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        if (app.Configuration.GetValue("Tenantry:Database:MigrateOnStartup", true))
        {
            await DatabaseMigrator.MigrateAsync(app.Services, cancellationToken);
        }
        await DataProtectionSetup.EnsureKeyAsync(app.Services, cancellationToken);
        var iterations = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.PasswordHashIterations;
        if (iterations < AuthOptions.DefaultPasswordHashIterations && !app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning("Tenantry:Auth:PasswordHashIterations is {Iterations}, below the default {Default}: stolen password hashes are cheaper to crack",
                iterations, AuthOptions.DefaultPasswordHashIterations);
        }
        await app.Services.GetRequiredService<SigningKeyRing>().RefreshAsync(cancellationToken);
    }

    public static void UseTenantry(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        // The client IP first: rate limits, sessions, audit and IP allow-lists all read it.
        app.UseForwardedHeaders();
        if (app.Environment.IsProduction())
        {
            app.UseHsts();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages(DialectStatusCodePages.Handle);
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(LanguageNegotiation.Default),
            SupportedCultures = [LanguageNegotiation.SupportedCultures[0]],
            SupportedUICultures = LanguageNegotiation.SupportedCultures,
            RequestCultureProviders = [new LanguageNegotiation()],
            ApplyCurrentCultureToResponseHeaders = true,
        });
        app.UseCors();
        // The portal code, then the secure channel, which decrypts before anything reads the body.
        app.UseSystemGateway();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
    }

    public static void MapTenantry(this WebApplication app)
    {
        app.MapSystemDialect();
        app.MapWachtDialect();
        app.MapOperatorDialect();
        JwksEndpoint.Map(app);
        app.MapTenantryHealth();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", scalar => scalar.WithTitle("Tenantry API"));
    }

    /// <summary>Tells whoever started the server where it listens, where the docs are and, in development, the portal code.</summary>
    public static void PrintBannerWhenStarted(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080";
            var options = app.Services.GetRequiredService<IOptions<TenantryOptions>>().Value;
            Console.WriteLine();
            Console.WriteLine($"  Tenantry is listening on {address}");
            Console.WriteLine($"  API reference:  {address}/docs");
            Console.WriteLine($"  Database:       {Describe(options)}");
            if (app.Environment.IsDevelopment() && options.PortalAccessCodes.Count > 0)
            {
                // Only the development default is printed; production codes never reach the console or the log.
                Console.WriteLine($"  Dev portal access code (X-PORTAL-ACCESS-CODE): {options.PortalAccessCodes[0]}");
            }
            Console.WriteLine();
        });

    private static string Describe(TenantryOptions options) => options.Database.Provider == Data.DatabaseProvider.Sqlite
        ? "SQLite, " + Path.Combine(options.ResolvedDataDir, options.Database.SqliteFile)
        : "PostgreSQL";
}
