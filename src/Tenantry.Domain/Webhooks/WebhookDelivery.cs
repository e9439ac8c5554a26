using Tenantry.Domain.Common;

namespace Tenantry.Domain.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Given up (retries ran out, or the endpoint was disabled); can be replayed.</summary>
    Failed,
}

/// <summary>
/// One event for one endpoint. Its id is the Standard Webhooks <c>webhook-id</c>, the same on
/// every attempt and replay. The payload is stored as the exact text that is signed and sent.
/// (event, endpoint) is unique, so expanding an event twice adds nothing.
/// </summary>
public sealed class WebhookDelivery
{
    public const int MaxErrorLength = 2000;
    public const int MaxResponseLength = 4096;

    private WebhookDelivery()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string EndpointId { get; private set; } = null!;

    /// <summary>The audit event delivered (or a fresh id for a test event).</summary>
    public string EventId { get; private set; } = null!;

    public string EventType { get; private set; } = null!;

    /// <summary>When the event happened; with <see cref="EventOrdinal"/> and <see cref="EventId"/>, the order deliveries go out in.</summary>
    public DateTime EventAt { get; private set; }

    /// <summary>The event's position among the events of its transaction.</summary>
    public int EventOrdinal { get; private set; }

    /// <summary>The Standard Webhooks body <c>{type, timestamp, data}</c>, exactly as signed.</summary>
    public string Payload { get; private set; } = null!;

    public WebhookDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTime NextAttemptAt { get; private set; }

    /// <summary>Start of the retry window (creation or the last replay): retries stop once it is older than the give-up time.</summary>
    public DateTime ScheduledAt { get; private set; }

    public DateTime? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public int? LastDurationMs { get; private set; }
    public string? LastError { get; private set; }
    public string? LastResponseBody { get; private set; }
    public DateTime? DeliveredAt { get; private set; }
    public DateTime CreatedAt { get; private set; }

    public static WebhookDelivery Create(
        WebhookEndpoint endpoint, string eventId, string eventType, DateTime eventAt, int eventOrdinal, string payload, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.WebhookDelivery, now),
            InstitutionId = endpoint.InstitutionId,
            EndpointId = endpoint.Id,
            EventId = eventId,
            EventType = eventType,
            EventAt = eventAt,
            EventOrdinal = eventOrdinal,
            Payload = payload,
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = now.UtcDateTime,
            ScheduledAt = now.UtcDateTime,
            CreatedAt = now.UtcDateTime,
        };

    /// <summary>Queues the delivery again now, with the same id and payload; a fresh retry window.</summary>
    public void Replay(DateTimeOffset now)
    {
        Status = WebhookDeliveryStatus.Pending;
        NextAttemptAt = now.UtcDateTime;
        ScheduledAt = now.UtcDateTime;
        DeliveredAt = null;
    }
}
