namespace Tenantry.Data.Outbox;

/// <summary>
/// A message (e.g. an invitation email) written in the same transaction as the change that
/// causes it, then delivered by a background sender with retries. A failed delivery never
/// loses the message or the change.
/// </summary>
public sealed class OutboxMessage
{
    public string Id { get; set; } = null!;
    public string Kind { get; set; } = null!;

    /// <summary>JSON payload; shape depends on <see cref="Kind"/>.</summary>
    public string Payload { get; set; } = null!;

    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}
