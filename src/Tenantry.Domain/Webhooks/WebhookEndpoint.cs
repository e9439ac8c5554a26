using Tenantry.Domain.Common;

namespace Tenantry.Domain.Webhooks;

/// <summary>
/// Where an institution's events are pushed: a URL, the event types it wants (none: all), and a
/// signing secret (stored protected; the previous one stays valid for an overlap after a
/// rotation). The delivery worker leases the endpoint to send its deliveries one at a time.
/// </summary>
public sealed class WebhookEndpoint
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;
    public const int MaxReasonLength = 500;

    private WebhookEndpoint()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string Url { get; private set; } = null!;
    public string? Description { get; private set; }

    /// <summary>Subscribed event types in catalogue order; empty means every type.</summary>
    public List<string> EventTypes { get; private set; } = [];

    public bool Enabled { get; private set; }

    /// <summary>Why the endpoint is disabled, when the system disabled it (410 Gone, failing for days); null when a person did.</summary>
    public string? DisabledReason { get; private set; }

    public DateTime? DisabledAt { get; private set; }

    /// <summary>The signing secret, protected at rest (Data Protection).</summary>
    public string Secret { get; private set; } = null!;

    /// <summary>The secret before the last rotation, valid (and signed with) until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; private set; }

    public DateTime? PreviousSecretExpiresAt { get; private set; }

    /// <summary>When the current failing streak began; null after a success.</summary>
    public DateTime? FailingSince { get; private set; }

    /// <summary>Attempts failed in a row, whichever deliveries they were; sets how long the endpoint pauses.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>No delivery to this endpoint is attempted before this (set after a failure).</summary>
    public DateTime? PausedUntil { get; private set; }

    /// <summary>The worker (replica) that holds the endpoint and until when; expired leases are taken over.</summary>
    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseUntil { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public static WebhookEndpoint Create(
        string institutionId, string url, string? description, IEnumerable<string> eventTypes, string protectedSecret, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.WebhookEndpoint, now),
            InstitutionId = institutionId,
            Url = url,
            Description = description,
            EventTypes = WebhookEventTypes.Canonical(eventTypes),
            Enabled = true,
            Secret = protectedSecret,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };

    public void SetUrl(string url, DateTimeOffset now)
    {
        Url = url;
        UpdatedAt = now.UtcDateTime;
    }

    public void SetDescription(string? description, DateTimeOffset now)
    {
        Description = description;
        UpdatedAt = now.UtcDateTime;
    }

    public void SetEventTypes(IEnumerable<string> eventTypes, DateTimeOffset now)
    {
        EventTypes = WebhookEventTypes.Canonical(eventTypes);
        UpdatedAt = now.UtcDateTime;
    }

    /// <summary>Enabling starts afresh: no failing streak, no pause, no reason.</summary>
    public void Enable(DateTimeOffset now)
    {
        if (!Enabled)
        {
            Enabled = true;
            DisabledReason = null;
            DisabledAt = null;
            FailingSince = null;
            ConsecutiveFailures = 0;
            PausedUntil = null;
        }
        UpdatedAt = now.UtcDateTime;
    }

    public void Disable(string? reason, DateTimeOffset now)
    {
        if (Enabled)
        {
            Enabled = false;
            DisabledReason = reason is { Length: > MaxReasonLength } ? reason[..MaxReasonLength] : reason;
            DisabledAt = now.UtcDateTime;
        }
        UpdatedAt = now.UtcDateTime;
    }

    /// <summary>Ends a pause after failures, so that a replay or a test goes out now.</summary>
    public void Resume() => PausedUntil = null;

    /// <summary>The new secret signs from now on; the old one is also signed with until <paramref name="overlap"/> has passed.</summary>
    public void RotateSecret(string protectedSecret, TimeSpan overlap, DateTimeOffset now)
    {
        PreviousSecret = overlap > TimeSpan.Zero ? Secret : null;
        PreviousSecretExpiresAt = overlap > TimeSpan.Zero ? (now + overlap).UtcDateTime : null;
        Secret = protectedSecret;
        UpdatedAt = now.UtcDateTime;
    }

    /// <summary>
    /// The protected secrets to sign with at <paramref name="now"/>: during the overlap the previous one first, then the
    /// current one. Previous first, because some verifiers check only the first signature of the header (the .NET
    /// StandardWebhooks 1.1.2 library does): a receiver not yet switched keeps verifying, and one that keeps both secrets
    /// configured during the overlap verifies with either (see docs/WEBHOOKS.md).
    /// </summary>
    public IReadOnlyList<string> SigningSecrets(DateTime now) =>
        PreviousSecret is not null && PreviousSecretExpiresAt > now ? [PreviousSecret, Secret] : [Secret];
}
