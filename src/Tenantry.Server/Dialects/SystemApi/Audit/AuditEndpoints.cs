using System.Text.Json;
using Tenantry.Application.Audit.List;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Audit;

/// <summary>One audit event: who did what to which target, when, from which client IP; details are action-specific.</summary>
public sealed record SystemAuditEvent(
    string EventBizId, string Action, string? ActorUserBizId, string? TargetType, string? TargetBizId, string? ClientIp, JsonElement Details,
    DateTime CreatedAt)
{
    public static SystemAuditEvent From(AuditEventView e)
    {
        using var details = JsonDocument.Parse(e.Details);
        return new(e.EventId, e.Action, e.ActorUserId, e.TargetType, e.TargetId, e.ClientIp, details.RootElement.Clone(), e.CreatedAt);
    }
}

internal static class AuditEndpoints
{
    public const string Version = "1.0.0";

    public static void Map(RouteGroupBuilder web) =>
        web.MapGet("/workspaces/{workspaceBizId}/audit-events", (string workspaceBizId, int? page, int? pageSize, ListAuditEventsHandler handler, HttpContext http, CancellationToken ct) =>
                SystemPaging.ListAsync(http, page, pageSize, request => handler.HandleAsync(workspaceBizId, request, ct), SystemAuditEvent.From))
            .RequireWorkspacePermission(Permissions.AuditRead)
            .WithApiVersion(Version)
            .WithTags("Audit")
            .WithSummary("The workspace's audit trail, newest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<SystemAuditEvent>>>();
}
