using Microsoft.Extensions.Options;
using Tenantry.Domain.Common;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.SystemApi.Audit;
using Tenantry.Server.Dialects.SystemApi.Auth;
using Tenantry.Server.Dialects.SystemApi.Enums;
using Tenantry.Server.Dialects.SystemApi.Gateway;
using Tenantry.Server.Dialects.SystemApi.Invitations;
using Tenantry.Server.Dialects.SystemApi.Members;
using Tenantry.Server.Dialects.SystemApi.Roles;
using Tenantry.Server.Dialects.SystemApi.SecureChannel;
using Tenantry.Server.Dialects.SystemApi.Webhooks;
using Tenantry.Server.Dialects.SystemApi.Workspaces;
using Tenantry.Application.Webhooks.Events;

namespace Tenantry.Server.Dialects.SystemApi;

/// <summary>
/// The SYSTEM dialect (<c>/web/v1</c>, CONTRACT 3 to 5): the envelope, the gateway (portal code,
/// secure channel) and the endpoints. The host calls <see cref="AddSystemDialect"/>,
/// <see cref="UseSystemGateway"/> and <see cref="MapSystemDialect"/>; nothing else here is public to it.
/// </summary>
public sealed class SystemDialect : IWireDialect
{
    public const string Prefix = "/web/v1";

    public bool Owns(PathString path) => path.StartsWithSegments(Prefix);

    public Task WriteErrorAsync(HttpContext http, DialectError error, TimeSpan? retryAfter, FieldError? field) =>
        EnvelopeErrors.For(error, retryAfter, field).WriteAsync(http);

    public Task WriteErrorAsync(HttpContext http, DomainError error) => EnvelopeErrors.Describe(error).WriteAsync(http);
}

public static class SystemDialectHosting
{
    public static IServiceCollection AddSystemDialect(this IServiceCollection services, TenantryOptions options)
    {
        PortalGate.CheckConfiguration(options);
        services.AddWireDialect<SystemDialect>();
        services.AddSingleton<SystemEnums>();
        services.AddSingleton<IWebhookEventRenderer, SystemWebhookEventRenderer>();
        services.AddCors(cors => cors.AddPolicy(PortalGate.CorsPolicy, policy => PortalGate.ConfigureCors(policy, options)));
        return services;
    }

    /// <summary>The gateway's middleware: the portal code first, then the secure channel (which must decrypt before anything reads the body).</summary>
    public static void UseSystemGateway(this WebApplication app)
    {
        app.UseMiddleware<PortalGate>();
        app.UseMiddleware<SecureChannelGate>();
    }

    public static void MapSystemDialect(this WebApplication app)
    {
        var web = app.MapGroup(SystemDialect.Prefix);
        if (PortalGate.HasBrowserOrigins(app.Services.GetRequiredService<IOptions<TenantryOptions>>().Value))
        {
            // Only then: without portal origins, a preflight is an ordinary request and gets the envelope like any other.
            web.RequireCors(PortalGate.CorsPolicy);
        }
        AuthEndpoints.Map(web);
        MfaEndpoints.Map(web);
        EmailVerificationEndpoints.Map(web);
        SecureChannelEndpoints.Map(web);
        EnumsEndpoint.Map(web);
        WorkspaceEndpoints.Map(web);
        RoleEndpoints.Map(web);
        InvitationEndpoints.Map(web);
        MemberEndpoints.Map(web);
        AuditEndpoints.Map(web);
        MembershipEndpoints.Map(web);
        WebhookEndpoints.Map(web);
        AccessEndpoints.Map(web);
    }
}
