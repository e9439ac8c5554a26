using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data.Providers;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.OperatorApi;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Dialects.SystemApi;
using Tenantry.Server.Dialects.WachtApi;
using Tenantry.Server.Email;
using Tenantry.Server.Localization;
using Tenantry.Server.Operability;
using Tenantry.Server.Security;
using Tenantry.Server.WebConsole;

namespace Tenantry.Server.Hosting;

public static class TenantryPipeline
{
    /// <summary>Schema up to date, the key ring and signing keys ready: what must hold before the first request.</summary>
    public static async Task PrepareAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        await DatabaseMigrator.CheckTopologyAsync(app.Services, cancellationToken);
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
        WarnWhenNoProxyIsTrusted(app);
        app.UseMiddleware<SecurityHeaders>();
        // The client IP first: rate limits, sessions, audit and IP allow-lists all read it.
        app.UseForwardedHeaders();
        if (app.Environment.IsProduction())
        {
            app.UseHsts();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages(DialectStatusCodePages.Handle);
        app.UseMiddleware<ResponseLanguage>();
        // The console's language picker and its Content-Security-Policy.
        app.UseTenantryConsole();
        app.UseCors();
        // The portal code, then the secure channel, which decrypts before anything reads the body.
        app.UseSystemGateway();
        // The operator key, before anything can answer an /admin/v1 request otherwise.
        app.UseOperatorGate();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        // Once the credential's source is known: a cookie-authenticated change from another origin never reaches its endpoint.
        app.UseMiddleware<CrossSiteRequestGuard>();
        // Bodies are read only for callers the endpoint admits.
        app.UseMiddleware<Utf8JsonBodies>();
        // The console's forms carry antiforgery tokens; no dialect endpoint asks for them.
        app.UseAntiforgery();
    }

    /// <summary>Outside Development an empty trust list means every forwarding header is ignored: fine without a proxy, wrong behind one.</summary>
    private static void WarnWhenNoProxyIsTrusted(WebApplication app)
    {
        var gateway = app.Services.GetRequiredService<IOptions<TenantryOptions>>().Value.Gateway;
        if (TenantryServices.TrustedProxies(gateway, app.Environment.IsDevelopment()).Count == 0)
        {
            app.Logger.LogWarning(
                "No proxy is trusted (Tenantry:Gateway:TrustForwardedFrom is empty): CF-Connecting-IP and X-Forwarded-Proto are ignored and every " +
                "request's client IP is its TCP peer. Behind Cloudflare, a load balancer or a local reverse proxy, list its addresses (docs/DEPLOYMENT.md).");
        }
    }

    public static void MapTenantry(this WebApplication app)
    {
        app.MapSystemDialect();
        app.MapWachtDialect();
        app.MapOperatorDialect();
        app.MapTenantryConsole();
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
            Console.WriteLine($"  Web console:    {address}/console");
            Console.WriteLine($"  API reference:  {address}/docs");
            Console.WriteLine($"  Database:       {Describe(options)}");
            Console.WriteLine($"  Email:          {Describe(app.Services.GetRequiredService<IEmailSender>(), app.Services.GetRequiredService<IOptions<EmailOptions>>().Value)}");
            if (app.Environment.IsDevelopment() && options.PortalAccessCodes.Count > 0)
            {
                // Only the development default is printed; production codes never reach the console or the log.
                Console.WriteLine($"  Dev portal access code (X-PORTAL-ACCESS-CODE): {options.PortalAccessCodes[0]}");
            }
            Console.WriteLine();
        });

    private static string Describe(IEmailSender sender, EmailOptions email) => sender switch
    {
        SmtpEmailSender => $"SMTP, {email.Smtp.Host}:{email.Smtp.Port}",
        PickupDirectoryEmailSender pickup => $"written as .eml files to {pickup.Directory} (no SMTP server configured)",
        LoggingEmailSender => "not sent: no SMTP server configured (the log names recipient and subject, never the body)",
        _ => sender.GetType().Name,
    };

    private static string Describe(TenantryOptions options) => options.Database.Provider switch
    {
        Data.DatabaseProvider.Sqlite => "SQLite, " + Path.Combine(options.ResolvedDataDir, options.Database.SqliteFile),
        Data.DatabaseProvider.Citus => "Citus (through its coordinator)",
        _ => "PostgreSQL",
    };
}
