using Tenantry.Domain.Common;
using Tenantry.Domain.Policies;

namespace Tenantry.Domain.Workspaces;

/// <summary>
/// Where a user operates. Belongs to one institution; LIVE or SANDBOX; ACTIVE or SUSPENDED.
/// </summary>
public sealed class Workspace
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    public const int MaxImageUrlLength = 2048;

    private Workspace()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string Name { get; private set; } = null!;
    public string? Slug { get; private set; }
    public string? Description { get; private set; }
    public string? ImageUrl { get; private set; }
    public WorkspaceKind Kind { get; private set; }
    public WorkspaceStatus Status { get; private set; }
    public string Timezone { get; private set; } = Timezones.Default;

    /// <summary>Free-form JSON text kept for the client (seed 001 <c>extraData</c>).</summary>
    public string? ExtraData { get; private set; }

    /// <summary>An external entity this workspace represents (seed 001 <c>entityBizId</c>); null unless set by an operator.</summary>
    public string? ExternalEntityId { get; private set; }

    public string PublicMetadata { get; private set; } = JsonText.EmptyObject;
    public string PrivateMetadata { get; private set; } = JsonText.EmptyObject;
    public WorkspacePolicy? Policy { get; private set; }

    /// <summary>
    /// Set when a user self-created this workspace. A unique index on this column is what
    /// makes "one self-created workspace per user" hold under concurrent requests.
    /// </summary>
    public string? SelfCreatedBy { get; private set; }

    /// <summary>Active and inactive members; kept in step with memberships in the same transaction.</summary>
    public int MemberCount { get; private set; }

    /// <summary>Bumped by every change that must serialize per workspace (owner changes); see WorkspaceLock.</summary>
    public long Version { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>A workspace of an institution, created by its administrators (not self-service).</summary>
    public static Workspace Create(string institutionId, string name, WorkspaceKind kind, string timezone, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.Workspace, now),
            InstitutionId = institutionId,
            Name = name.Trim(),
            Slug = Slugs.FromName(name),
            Kind = kind,
            Status = WorkspaceStatus.Active,
            Timezone = timezone,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };

    /// <summary>A user's own workspace; <see cref="SelfCreatedBy"/> records whose, to hold "one per user".</summary>
    public static Workspace CreateSelfService(
        string institutionId, string name, WorkspaceKind kind, string timezone, string creatorUserId, DateTimeOffset now)
    {
        var workspace = Create(institutionId, name, kind, timezone, now);
        workspace.SelfCreatedBy = creatorUserId;
        return workspace;
    }

    public void Rename(string name, DateTimeOffset now) => Change(() => Name = name.Trim(), now);

    public void ChangeTimezone(string timezone, DateTimeOffset now) => Change(() => Timezone = timezone, now);

    public void SetExtraData(string? json, DateTimeOffset now) => Change(() => ExtraData = json, now);

    public void SetPolicy(WorkspacePolicy? policy, DateTimeOffset now) => Change(() => Policy = policy, now);

    public void SetStatus(WorkspaceStatus status, DateTimeOffset now) => Change(() => Status = status, now);

    public void SetSlug(string? slug, DateTimeOffset now) => Change(() => Slug = slug, now);

    public void SetDescription(string? description, DateTimeOffset now) => Change(() => Description = description, now);

    public void SetImageUrl(string? imageUrl, DateTimeOffset now) => Change(() => ImageUrl = imageUrl, now);

    public void SetPublicMetadata(string json, DateTimeOffset now) => Change(() => PublicMetadata = json, now);

    public void SetPrivateMetadata(string json, DateTimeOffset now) => Change(() => PrivateMetadata = json, now);

    /// <summary>Records a change made outside the workspace row itself (e.g. its segments).</summary>
    public void Touch(DateTimeOffset now) => UpdatedAt = now.UtcDateTime;

    public void MemberAdded() => MemberCount++;

    public void MemberRemoved() => MemberCount = Math.Max(0, MemberCount - 1);

    private void Change(Action apply, DateTimeOffset now)
    {
        apply();
        UpdatedAt = now.UtcDateTime;
    }
}
