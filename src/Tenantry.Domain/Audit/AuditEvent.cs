using Tenantry.Domain.Common;

namespace Tenantry.Domain.Audit;

/// <summary>
/// Who did what to which target, when and from where. Written in the same transaction
/// as the change it records.
/// </summary>
public sealed class AuditEvent
{
    private AuditEvent()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string? WorkspaceId { get; private set; }
    public string? ActorUserId { get; private set; }
    public string Action { get; private set; } = null!;
    public string? TargetType { get; private set; }
    public string? TargetId { get; private set; }
    public string? ClientIp { get; private set; }

    /// <summary>JSON object with action-specific details (old and new role, etc.).</summary>
    public string Details { get; private set; } = "{}";

    public DateTime CreatedAt { get; private set; }

    private static long s_recorded;

    /// <summary>
    /// The order events were recorded in by this process (not stored): events of one unit of work share
    /// <see cref="CreatedAt"/>, and this keeps them in the order the use case wrote them (webhook ordering).
    /// </summary>
    public long RecordedOrder { get; private set; }

    public static AuditEvent Record(
        string institutionId, string? workspaceId, string? actorUserId, string action, string? targetType, string? targetId,
        string? clientIp, string details, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.AuditEvent, now),
            InstitutionId = institutionId,
            WorkspaceId = workspaceId,
            ActorUserId = actorUserId,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            ClientIp = clientIp,
            Details = details,
            CreatedAt = now.UtcDateTime,
            RecordedOrder = Interlocked.Increment(ref s_recorded),
        };
}
