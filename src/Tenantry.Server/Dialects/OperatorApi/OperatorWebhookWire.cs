using System.Text.Json.Serialization;
using Tenantry.Application.Webhooks;
using Tenantry.Application.Webhooks.Replay;
using Tenantry.Server.Dialects.Shared.Json;

namespace Tenantry.Server.Dialects.OperatorApi;

/// <summary>A webhook endpoint as the operator sees it; <c>secret</c> only in the answers that create or rotate it (CONTRACT 8).</summary>
public sealed record AdminWebhookEndpoint(
    string WebhookBizId, string InstitutionBizId, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled,
    string? DisabledReason, DateTime? DisabledAt, DateTime? PreviousSecretExpiresAt, DateTime? FailingSince, DateTime CreatedAt, DateTime UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    public static AdminWebhookEndpoint From(WebhookEndpointView v) =>
        new(v.WebhookId, v.InstitutionId, v.Url, v.Description, v.EventTypes, v.Enabled, v.DisabledReason, v.DisabledAt, v.PreviousSecretExpiresAt,
            v.FailingSince, v.CreatedAt, v.UpdatedAt, v.Secret);
}

public sealed record AdminWebhookDelivery(
    string DeliveryId, string WebhookBizId, string EventBizId, string EventType, string Status, int Attempts, int? LastStatusCode,
    int? LastDurationMs, string? LastError, string? LastResponseBody, DateTime? LastAttemptAt, DateTime? NextAttemptAt, DateTime? DeliveredAt,
    DateTime CreatedAt)
{
    public static AdminWebhookDelivery From(WebhookDeliveryView v) =>
        new(v.DeliveryId, v.WebhookId, v.EventId, v.EventType, WebhookCodes.Code(v.Status), v.Attempts, v.LastStatusCode, v.LastDurationMs,
            v.LastError, v.LastResponseBody, v.LastAttemptAt, v.NextAttemptAt, v.DeliveredAt, v.CreatedAt);
}

public sealed record AdminReplayedDeliveries(int Replayed)
{
    public static AdminReplayedDeliveries From(ReplayedDeliveries r) => new(r.Replayed);
}

public sealed record AdminCreateWebhookRequest(string? Url, string? Description, List<string?>? EventTypes);

public sealed class AdminUpdateWebhookRequest : PatchRequest
{
    public string? Url { get; init; }
    public string? Description { get; init; }
    public List<string?>? EventTypes { get; init; }
    public bool? Enabled { get; init; }
}

public sealed record AdminReplayFailedRequest(DateTime? Since);
