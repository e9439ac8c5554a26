namespace Tenantry.Domain.Workspaces;

/// <summary>
/// A named group inside an institution (Wacht "segments"), used by product teams to target
/// workspaces, institutions or users. Unique by (institution, type, name).
/// </summary>
public sealed class Segment
{
    public const int MaxNameLength = 100;

    private Segment()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string Name { get; private set; } = null!;
    public SegmentType Type { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public static Segment Create(string institutionId, string name, SegmentType type, DateTimeOffset now) =>
        new()
        {
            Id = Common.EntityId.New(Common.EntityId.Segment, now),
            InstitutionId = institutionId,
            Name = name.Trim(),
            Type = type,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };
}

/// <summary>Links a workspace to a segment. Carries the institution id like every tenant-owned row.</summary>
public sealed class WorkspaceSegment
{
    public string WorkspaceId { get; init; } = null!;
    public string SegmentId { get; init; } = null!;
    public string InstitutionId { get; init; } = null!;
}

/// <summary>Links an institution to a segment.</summary>
public sealed class InstitutionSegment
{
    public string InstitutionId { get; init; } = null!;
    public string SegmentId { get; init; } = null!;
}
