using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tenantry.Server.Dialects.WachtApi.Memberships;
using Tenantry.Server.Dialects.WachtApi.Sessions;
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
internal static class WachtEndpoints
{
    public const string CorsPolicy = "wacht";

    public static void Map(WebApplication app)
    {
        var wacht = app.MapGroup(string.Empty)
            .WithTags("Wacht")
            .RequireAuthorization(WorkspacePolicies.WachtSession)
            .RequireCors(CorsPolicy)
            .RequireRateLimiting(RateLimitPolicies.Wacht);
        WachtMembershipEndpoints.Map(wacht);
        WachtSessionEndpoints.Map(wacht);
    }

    /// <summary>
    /// The OpenAPI document describes types with the host's (camelCase) JSON options; the Wacht
    /// wire is snake_case (<see cref="WachtJsonContext"/>), so its schemas are renamed to match.
    /// </summary>
    public static Task DocumentSnakeCase(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type.Namespace?.StartsWith(typeof(WachtEndpoints).Namespace!, StringComparison.Ordinal) != true
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
