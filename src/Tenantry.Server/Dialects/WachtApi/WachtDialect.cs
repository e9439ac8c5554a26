using System.Text.Json;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Localization;
using Microsoft.OpenApi;
using Tenantry.Server.Dialects.WachtApi.Auth;
using Tenantry.Server.Dialects.WachtApi.Deployment;
using Tenantry.Server.Dialects.WachtApi.Memberships;
using Tenantry.Server.Dialects.WachtApi.Organizations;
using Tenantry.Server.Dialects.WachtApi.AccountSecurity;
using Tenantry.Server.Dialects.WachtApi.Sessions;
using Tenantry.Server.Dialects.WachtApi.Users;
using Tenantry.Server.Dialects.WachtApi.Workspaces;
using Tenantry.Domain.Common;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Localization;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi;

/// <summary>The envelope as documented in OpenAPI; answers are written by <see cref="WachtResults"/>.</summary>
public sealed record WachtEnvelopeDoc<T>(int Status, string Message, T? Data, WachtSession Session, IReadOnlyList<object> Errors);

/// <summary>
/// The Wacht dialect (CONTRACT 6): a thin mapping over the same use cases as the SYSTEM
/// dialect. Every endpoint needs the session token (cookie, Bearer, or the development query
/// parameter), answers cross-origin callers the configured CORS policy allows, and is
/// rate-limited per client IP.
/// </summary>
public sealed class WachtDialect : IWireDialect
{
    public const string CorsPolicy = "wacht";

    // The routes Tenantry serves, and the prefixes of Wacht features it does not (AI agents, notifications, the webhook and
    // API-auth apps, the waitlist), so that those answer Wacht's 404 rather than a bare one.
    private static readonly string[] s_prefixes =
        ["/me", "/session", "/workspaces", "/organizations", "/deployment", "/auth", "/captcha", "/ai", "/notifications", "/webhook", "/api-auth", "/waitlist"];

    public bool Owns(PathString path)
    {
        foreach (var prefix in s_prefixes)
        {
            if (path.StartsWithSegments(prefix))
            {
                return true;
            }
        }
        return false;
    }

    public Task WriteErrorAsync(HttpContext http, DialectError error, TimeSpan? retryAfter, FieldError? field) =>
        WachtErrors.For(error, retryAfter).WriteAsync(http);

    public Task WriteErrorAsync(HttpContext http, DomainError error) => WachtErrors.Describe(error).WriteAsync(http);
}

public static class WachtDialectHosting
{
    public static IServiceCollection AddWachtDialect(this IServiceCollection services, TenantryOptions tenantry)
    {
        var options = tenantry.Wacht;
        services.AddWireDialect<WachtDialect>();
        services.AddSingleton(provider => new WachtDeploymentSettings(
            options, tenantry.PublicOrigin, options.DevelopmentSessions, provider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
        services.AddScoped<WachtSessions>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.Captcha));
        services.AddSingleton(provider => new WachtWireContext(options.DeploymentId, provider.GetRequiredService<IStringLocalizer<Messages>>()));
        services.AddCors(cors => cors.AddPolicy(WachtDialect.CorsPolicy, policy => ConfigureCors(policy, options)));
        return services;
    }

    public static void MapWachtDialect(this WebApplication app)
    {
        var wacht = app.MapGroup(string.Empty)
            .WithTags("Wacht")
            .RequireAuthorization(WorkspacePolicies.WachtSession)
            .RequireCors(WachtDialect.CorsPolicy)
            .RequireRateLimiting(RateLimitPolicies.Wacht);
        WachtMembershipEndpoints.Map(wacht);
        WachtSessionEndpoints.Map(wacht);
        WachtUserEndpoints.Map(wacht);
        WachtWorkspaceEndpoints.Map(wacht);
        WachtOrganizationEndpoints.Map(wacht);
        WachtSecurityEndpoints.Map(wacht);

        // What a browser reads before it signs in; each answers with the session its credential names, if any.
        var anonymous = app.MapGroup(string.Empty)
            .WithTags("Wacht")
            .AllowAnonymous()
            .RequireCors(WachtDialect.CorsPolicy)
            .RequireRateLimiting(RateLimitPolicies.Wacht);
        WachtDeploymentEndpoints.Map(anonymous);
        WachtSessionEndpoints.MapAnonymous(anonymous);
        WachtAuthEndpoints.Map(anonymous);
        WachtCaptchaEndpoints.Map(anonymous);
    }

    /// <summary>
    /// Cross-site browsers (Wacht's SDK on another origin) only for the configured origins, with
    /// the session cookie, for every method the SDK sends; the response header that carries the
    /// session token in development mode is exposed to them.
    /// </summary>
    private static void ConfigureCors(CorsPolicyBuilder policy, WachtOptions wacht)
    {
        if (wacht.AllowedOrigins.Count == 0)
        {
            return;
        }
        // The SDK's methods; X-Development-Session is only ever sent in development mode, and exposing it costs nothing otherwise.
        policy.WithOrigins([.. wacht.AllowedOrigins]).AllowCredentials().AllowAnyHeader().WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithExposedHeaders(AuthenticationSchemes.DevSessionHeader);
    }

    /// <summary>
    /// The OpenAPI document describes types with the host's (camelCase) JSON options; the Wacht
    /// wire is snake_case (<see cref="WachtJsonContext"/>), so its schemas are renamed to match.
    /// </summary>
    public static Task DocumentSnakeCase(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type.Namespace?.StartsWith(typeof(WachtDialect).Namespace!, StringComparison.Ordinal) != true
            || schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }
        var renamed = properties.Select(p => (Name: JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Key), Schema: p.Value)).ToList();
        properties.Clear();
        foreach (var (name, property) in renamed)
        {
            properties[name] = property;
        }
        if (schema.Required is { Count: > 0 } required)
        {
            var names = required.Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToList();
            required.Clear();
            names.ForEach(n => required.Add(n));
        }
        return Task.CompletedTask;
    }
}
