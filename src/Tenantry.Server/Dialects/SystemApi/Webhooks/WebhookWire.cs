using System.Text.Json;
using System.Text.Json.Serialization;
using Tenantry.Application.Webhooks;
using Tenantry.Application.Webhooks.Replay;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Dialects.SystemApi.Invitations;
using Tenantry.Server.Dialects.SystemApi.Members;
using Tenantry.Server.Dialects.SystemApi.Roles;
using Tenantry.Server.Dialects.SystemApi.Workspaces;

namespace Tenantry.Server.Dialects.SystemApi.Webhooks;

/// <summary>A webhook endpoint; <c>secret</c> appears only in the answers that create or rotate it.</summary>
public sealed record SystemWebhookEndpoint(
    string WebhookBizId, string InstitutionBizId, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled,
    string? DisabledReason, DateTime? DisabledAt, DateTime? PreviousSecretExpiresAt, DateTime? FailingSince, DateTime CreatedAt, DateTime UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    public static SystemWebhookEndpoint From(WebhookEndpointView v) =>
        new(v.WebhookId, v.InstitutionId, v.Url, v.Description, v.EventTypes, v.Enabled, v.DisabledReason, v.DisabledAt, v.PreviousSecretExpiresAt,
            v.FailingSince, v.CreatedAt, v.UpdatedAt, v.Secret);
}

/// <summary>One delivery of one event to one endpoint, with its last attempt.</summary>
public sealed record SystemWebhookDelivery(
    string DeliveryId, string WebhookBizId, string EventBizId, string EventType, string Status, int Attempts, int? LastStatusCode,
    int? LastDurationMs, string? LastError, string? LastResponseBody, DateTime? LastAttemptAt, DateTime? NextAttemptAt, DateTime? DeliveredAt,
    DateTime CreatedAt)
{
    public static SystemWebhookDelivery From(WebhookDeliveryView v) =>
        new(v.DeliveryId, v.WebhookId, v.EventId, v.EventType, WebhookCodes.Code(v.Status), v.Attempts, v.LastStatusCode, v.LastDurationMs,
            v.LastError, v.LastResponseBody, v.LastAttemptAt, v.NextAttemptAt, v.DeliveredAt, v.CreatedAt);
}

public sealed record SystemReplayedDeliveries(int Replayed)
{
    public static SystemReplayedDeliveries From(ReplayedDeliveries r) => new(r.Replayed);
}

public sealed record CreateWebhookRequest(string? Url, string? Description, List<string?>? EventTypes);

public sealed class UpdateWebhookRequest : PatchRequest
{
    public string? Url { get; init; }
    public string? Description { get; init; }
    public List<string?>? EventTypes { get; init; }
    public bool? Enabled { get; init; }
}

public sealed record ReplayFailedRequest(DateTime? Since);

/// <summary>The body of every delivery (Standard Webhooks): what happened, when, and the data.</summary>
public sealed record SystemWebhookPayload(string Type, DateTime Timestamp, SystemWebhookEventData Data);

/// <summary>
/// The event's ids and audit details, and the resources it concerns in the SYSTEM dialect's
/// shapes (labels in English), as they were when the event was expanded; a resource that no
/// longer existed then is left out.
/// </summary>
public sealed record SystemWebhookEventData(
    string EventBizId,
    string InstitutionBizId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WorkspaceBizId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ActorUserBizId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TargetType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TargetBizId,
    JsonElement Details,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SystemWorkspaceDetail? Workspace,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SystemMember? Member,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SystemRole? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SystemInvitation? Invitation);
