using Tenantry.Application.Invitations;
using Tenantry.Application.Members;
using Tenantry.Application.Roles;
using Tenantry.Application.Workspaces;

namespace Tenantry.Application.Webhooks.Events;

/// <summary>
/// One event as a webhook reports it: the audit event's ids and details, and the resources it
/// concerns as they are when the event is expanded (a resource that no longer exists is absent;
/// the ids and details still describe it).
/// </summary>
public sealed record WebhookEventData(
    string Type,
    DateTime Timestamp,
    string EventId,
    string InstitutionId,
    string? WorkspaceId,
    string? ActorUserId,
    string? TargetType,
    string? TargetId,
    string Details,
    WorkspaceDetail? Workspace,
    MemberView? Member,
    RoleView? Role,
    InvitationView? Invitation);

/// <summary>
/// Writes the Standard Webhooks body <c>{type, timestamp, data}</c> of an event, with the
/// resources in the SYSTEM dialect's wire shapes. Implemented by the SYSTEM dialect, which
/// owns those shapes; Application only gathers the data.
/// </summary>
public interface IWebhookEventRenderer
{
    string Render(WebhookEventData data);
}
