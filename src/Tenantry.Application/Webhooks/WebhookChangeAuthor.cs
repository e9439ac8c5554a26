using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks;

/// <summary>
/// Who changed an endpoint, for the audit event the change writes: a manager acting through one of
/// the institution's workspaces (the event is filed under that workspace, so its audit trail shows it),
/// or the operator (filed under the institution only). Secrets are never part of the event.
/// </summary>
public sealed record WebhookChangeAuthor(string ActorUserId, string? WorkspaceId, string? ClientIp)
{
    public static WebhookChangeAuthor Operator { get; } = new(AuditActors.Operator, null, null);

    public static WebhookChangeAuthor Member(WorkspaceStanding standing, Caller caller) =>
        new(caller.UserId, standing.WorkspaceId, caller.ClientIpText);

    internal AuditEvent Record(WebhookEndpoint endpoint, string action, string details, DateTimeOffset now) =>
        AuditEvent.Record(endpoint.InstitutionId, WorkspaceId, ActorUserId, action, AuditTargets.WebhookEndpoint, endpoint.Id, ClientIp, details, now);
}
