using Tenantry.Domain.Common;

namespace Tenantry.Domain.Memberships;

/// <summary>
/// A user's membership of a workspace: one role, how they joined, whether it is active,
/// and whether it is the user's default (the Wacht "active workspace": the same stored choice).
/// </summary>
public sealed class WorkspaceMembership
{
    private WorkspaceMembership()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string WorkspaceId { get; private set; } = null!;
    public string UserId { get; private set; } = null!;
    public string RoleId { get; private set; } = null!;
    public JoinSource JoinSource { get; private set; }
    public MembershipStatus Status { get; private set; }

    /// <summary>At most one per user, enforced by a partial unique index.</summary>
    public bool IsDefault { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public static WorkspaceMembership Join(
        string institutionId, string workspaceId, string userId, string roleId, JoinSource source, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.WorkspaceMembership, now),
            InstitutionId = institutionId,
            WorkspaceId = workspaceId,
            UserId = userId,
            RoleId = roleId,
            JoinSource = source,
            Status = MembershipStatus.Active,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };

    public void ChangeRole(string roleId, DateTimeOffset now)
    {
        RoleId = roleId;
        UpdatedAt = now.UtcDateTime;
    }

    public void SetStatus(MembershipStatus status, DateTimeOffset now)
    {
        Status = status;
        UpdatedAt = now.UtcDateTime;
    }

    public void SetDefault(bool isDefault, DateTimeOffset now)
    {
        IsDefault = isDefault;
        UpdatedAt = now.UtcDateTime;
    }
}
