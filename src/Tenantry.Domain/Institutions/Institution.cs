using Tenantry.Domain.Common;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Domain.Institutions;

/// <summary>
/// The tenant: an institution that owns workspaces (SYSTEM "institution", Wacht
/// "organization"). Its policies apply to every one of its workspaces, on top of each
/// workspace's own. Its id is the distribution key of every tenant-owned table.
/// </summary>
public sealed class Institution
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;

    private Institution()
    {
    }

    public string Id { get; private set; } = null!;
    public string Name { get; private set; } = null!;
    public string? Slug { get; private set; }
    public string? Description { get; private set; }
    public string? ImageUrl { get; private set; }
    public string PublicMetadata { get; private set; } = JsonText.EmptyObject;
    public string PrivateMetadata { get; private set; } = JsonText.EmptyObject;
    public bool EnforceMfa { get; private set; }

    /// <summary>Canonical CIDR blocks; empty means no IP restriction.</summary>
    public List<string> IpAllowlist { get; private set; } = [];

    /// <summary>A user who joins the institution is also made a member of this workspace.</summary>
    public string? AutoAssignedWorkspaceId { get; private set; }

    /// <summary>The user who created it by self-service; "already owns an institution" is decided by this.</summary>
    public string? OwnerUserId { get; private set; }

    public int MemberCount { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public static Institution CreateSelfService(string name, string ownerUserId, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.Institution, now),
            Name = name.Trim(),
            Slug = Slugs.FromName(name),
            OwnerUserId = ownerUserId,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };

    public void Rename(string name, DateTimeOffset now) => Change(() => Name = name.Trim(), now);

    /// <summary>The description its members see; null or blank clears it.</summary>
    public void Describe(string? description, DateTimeOffset now) =>
        Change(() => Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(), now);

    public void SetSlug(string? slug, DateTimeOffset now) => Change(() => Slug = slug, now);

    public void SetPublicMetadata(string json, DateTimeOffset now) => Change(() => PublicMetadata = json, now);

    public void SetPrivateMetadata(string json, DateTimeOffset now) => Change(() => PrivateMetadata = json, now);

    public void SetEnforceMfa(bool enforce, DateTimeOffset now) => Change(() => EnforceMfa = enforce, now);

    public void SetIpAllowlist(List<string> canonicalBlocks, DateTimeOffset now) => Change(() => IpAllowlist = canonicalBlocks, now);

    public void SetAutoAssignedWorkspace(string? workspaceId, DateTimeOffset now) => Change(() => AutoAssignedWorkspaceId = workspaceId, now);

    public void MemberAdded() => MemberCount++;

    public void MemberRemoved() => MemberCount = Math.Max(0, MemberCount - 1);

    private void Change(Action apply, DateTimeOffset now)
    {
        apply();
        UpdatedAt = now.UtcDateTime;
    }
}
