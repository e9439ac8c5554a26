using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Json;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tenantry.Application;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Accounts.PasswordReset;
using Tenantry.Application.Invitations;
using Tenantry.Application.Outbox;
using Tenantry.Application.Common.Caching;
using Tenantry.Application.SecureChannels;
using Tenantry.Data.Providers;
using Tenantry.Domain.Policies;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.OperatorApi;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Dialects.SystemApi;
using Tenantry.Server.Dialects.SystemApi.Webhooks;
using Tenantry.Server.Dialects.WachtApi;
using Tenantry.Server.Email;
using Tenantry.Server.Operability;
using Tenantry.Server.Security;
using Tenantry.Server.WebConsole;
using Tenantry.Server.Webhooks;
using Tenantry.Application.Webhooks;
using Tenantry.Application.Webhooks.Delivery;

namespace Tenantry.Server.Hosting;

public static class TenantryServices
{
    /// <summary>1 MiB: larger bodies answer 413 / 4130 (CONTRACT 3).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static TenantryOptions AddTenantry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TenantryOptions.Section);
        var options = section.Get<TenantryOptions>() ?? new TenantryOptions();
        options.Database.PostgresConnectionString ??= builder.Configuration.GetConnectionString("Postgres");
        builder.Services.Configure<TenantryOptions>(section);
        builder.Services.PostConfigure<TenantryOptions>(o => o.Database = options.Database);
        builder.Services.AddOptions<AuthOptions>().Bind(section.GetSection("Auth"))
            .Validate(o => o.PasswordHashIterations >= 1_000, "Tenantry:Auth:PasswordHashIterations must be at least 1000.").ValidateOnStart();
        builder.Services.Configure<CacheOptions>(section.GetSection("Cache"));
        var auth = section.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();

        var services = builder.Services;
        TrustedOrigins.CheckConfiguration(options);
        services.AddSingleton<TrustedOrigins>();
        services.AddTenantryDatabase(options.Database, options.ResolvedDataDir);
        services.AddTenantryApplication();
        services.AddSystemDialect(options);
        services.AddWachtDialect(options);
        services.AddOperatorDialect(options);
        services.AddLocalization();
        services.AddProblemDetails();
        services.AddExceptionHandler<DialectExceptionHandler>();
        services.AddTenantryHealth();
        AddOutbox(services, section, options);
        services.AddTenantryConsole();
        AddWebhooks(services, section);

        services.AddAuthentication()
            .AddScheme<TenantryAuthenticationOptions, TenantryAuthenticationHandler>(AuthenticationSchemes.AccessToken, null)
            .AddScheme<TenantryAuthenticationOptions, TenantryAuthenticationHandler>(AuthenticationSchemes.SessionToken, null);
        services.AddAuthorization(o => o.AddWorkspacePolicies());
        services.AddSingleton<IAuthorizationHandler, WorkspacePermissionHandler>();
        services.UseSingleAuthorizationServices();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, DialectAuthorizationResultHandler>();

        services.AddRateLimiter(limiter =>
        {
            limiter.AddTenantryPolicies(auth, options.Wacht);
            limiter.OnRejected = (context, _) => new ValueTask(DialectErrors.WriteAsync(context.HttpContext, DialectError.RateLimited,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : auth.AuthRequestsPerIpWindow));
        });

        services.Configure<SecureChannelOptions>(section.GetSection("Gateway"));
        services.AddTenantryDataProtection(options.DataProtection);
        services.AddHostedService<SecuritySweeper>();
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = false;
        });

        var development = builder.Environment.IsDevelopment();
        services.Configure<ForwardedHeadersOptions>(forwarded => ConfigureTrustedProxies(forwarded, options.Gateway, development));
        services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
            {
                Modifiers = { PatchRequest.TrackPresence },
            };
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            json.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });

        services.AddTenantryOpenApi();

        AddTelemetry(builder);
        return options;
    }

    /// <summary>
    /// Invitations, email verification and the outbox that emails them: SMTP (MailKit) when
    /// Tenantry:Email:Smtp:Host is set; otherwise .eml files in Tenantry:Email:PickupDirectory when
    /// that is set (Development: <c>mail</c> under the data folder); otherwise a sender that logs
    /// who would get which email, never its body.
    /// </summary>
    private static void AddOutbox(IServiceCollection services, IConfigurationSection section, TenantryOptions tenantry)
    {
        services.AddOptions<InvitationOptions>().Bind(section.GetSection("Invitations"))
            .Validate(o => o.ValidFor > TimeSpan.Zero, "Tenantry:Invitations:ValidFor must be positive.").ValidateOnStart();
        services.AddOptions<EmailVerificationOptions>().Bind(section.GetSection("EmailVerification"))
            .Validate(o => o.ValidFor > TimeSpan.Zero, "Tenantry:EmailVerification:ValidFor must be positive.")
            .Validate(o => string.IsNullOrEmpty(o.VerifyUrl) || o.VerifyUrl.Contains("{token}", StringComparison.Ordinal),
                "Tenantry:EmailVerification:VerifyUrl must contain the {token} placeholder.")
            .ValidateOnStart();
        services.AddOptions<PasswordResetOptions>().Bind(section.GetSection("PasswordReset"))
            .Validate(o => o.CodeValidFor > TimeSpan.Zero && o.TokenValidFor > TimeSpan.Zero, "Tenantry:PasswordReset has a non-positive lifetime.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(section.GetSection("Outbox"))
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.BatchSize > 0 && o.MaxAttempts > 0, "Tenantry:Outbox has a non-positive setting.").ValidateOnStart();
        services.Configure<EmailOptions>(section.GetSection("Email"));
        var email = section.GetSection("Email").Get<EmailOptions>() ?? new EmailOptions();
        if (!string.IsNullOrWhiteSpace(email.Smtp.Host))
        {
            services.AddSingleton<IEmailSender, SmtpEmailSender>();
        }
        else if (email.ResolvedPickupDirectory(tenantry.ResolvedDataDir) is { } pickup)
        {
            services.AddSingleton<IEmailSender>(sp => new PickupDirectoryEmailSender(
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>(), pickup, sp.GetRequiredService<ILogger<PickupDirectoryEmailSender>>()));
        }
        else
        {
            services.AddSingleton<IEmailSender, LoggingEmailSender>();
        }
        services.AddScoped<IOutboxDeliverer, InvitationEmailDeliverer>();
        services.AddScoped<IOutboxDeliverer, EmailVerificationDeliverer>();
        services.AddScoped<IOutboxDeliverer, PasswordResetDeliverer>();
        services.AddHostedService<OutboxWorker>();
    }

    /// <summary>
    /// Webhooks (Tenantry:Webhooks): the HTTP sender with its address checks and the delivery worker.
    /// https only in Production unless RequireHttps says otherwise.
    /// </summary>
    private static void AddWebhooks(IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<WebhookOptions>().Bind(section.GetSection("Webhooks"))
            .PostConfigure<IHostEnvironment>((o, environment) => o.RequireHttps ??= environment.IsProduction())
            .Validate(o => o.Timeout > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero && o.RetryBaseDelay > TimeSpan.Zero
                    && o.RetryMaxDelay >= o.RetryBaseDelay && o.GiveUpAfter > TimeSpan.Zero && o.DisableAfter > TimeSpan.Zero
                    && o.SecretOverlap >= TimeSpan.Zero && o.MaxConcurrentEndpoints > 0 && o.BatchPerEndpoint > 0 && o.MaxEndpointsPerInstitution > 0
                    && o.MaxResponseBytes is >= 0 and <= 4096 && o.RetryJitter is >= 0 and <= 1,
                "Tenantry:Webhooks has a setting out of range.")
            .Validate(o => o.LeaseDuration > o.Timeout + o.Timeout, "Tenantry:Webhooks:LeaseDuration must exceed twice the Timeout.")
            .ValidateOnStart();
        services.AddSingleton<IWebhookSender, WebhookSender>();
        services.AddHostedService<WebhookDeliveryWorker>();
    }

    /// <summary>The proxies trusted when <c>Tenantry:Gateway:TrustForwardedFrom</c> is empty: loopback in Development, none elsewhere.</summary>
    public static IReadOnlyList<string> TrustedProxies(GatewayOptions gateway, bool development) =>
        gateway.TrustForwardedFrom.Count > 0 ? gateway.TrustForwardedFrom : development ? ["127.0.0.0/8", "::1"] : [];

    /// <summary>
    /// Only peers in this list may set the client IP through <c>CF-Connecting-IP</c> (CONTRACT 3) and the
    /// scheme through <c>X-Forwarded-Proto</c>. Outside Development nobody is trusted until the list is
    /// configured (CONTRACT 8): a proxy on the same host that passes a client's header through would
    /// otherwise let every client choose its own address.
    /// </summary>
    private static void ConfigureTrustedProxies(ForwardedHeadersOptions forwarded, GatewayOptions gateway, bool development)
    {
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        var trusted = TrustedProxies(gateway, development);
        if (trusted.Count == 0)
        {
            // Not an empty list of known proxies: the middleware would then trust every peer.
            forwarded.ForwardedHeaders = ForwardedHeaders.None;
            return;
        }
        // The scheme too (X-Forwarded-Proto), so that HSTS is sent behind a TLS-terminating proxy.
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.ForwardedForHeaderName = "CF-Connecting-IP";
        forwarded.ForwardLimit = 1;
        foreach (var entry in trusted)
        {
            if (!IpAllowlist.TryParseEntry(entry, out var network))
            {
                throw new InvalidOperationException($"Tenantry:Gateway:TrustForwardedFrom has an entry that is not an address or CIDR block: '{entry}'.");
            }
            forwarded.KnownIPNetworks.Add(network);
        }
    }

    /// <summary>Traces and metrics go out over OTLP when an endpoint is configured; otherwise nothing is collected.</summary>
    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tenantry"))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource("Npgsql"))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddMeter("Npgsql"))
            .UseOtlpExporter();
    }

}
