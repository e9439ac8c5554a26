using Tenantry.Domain.Common;

namespace Tenantry.Domain.Institutions;

public enum InstitutionRole
{
    Owner,
    Admin,
    Member,
}

/// <summary>
/// A user's membership of an institution (Wacht institution membership). Workspace
/// memberships sit alongside it; joining any workspace of an institution makes one.
/// </summary>
public sealed class InstitutionMembership
{
    private InstitutionMembership()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string UserId { get; private set; } = null!;
    public InstitutionRole Role { get; private set; }

    /// <summary>The user's active institution (Wacht <c>active_organization_membership_id</c>); at most one per user.</summary>
    public bool IsActive { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public bool CanManage => RoleCanManage(Role);

    /// <summary>Whether a member with this role manages the institution (for rows read without the entity).</summary>
    public static bool RoleCanManage(InstitutionRole role) => role is InstitutionRole.Owner or InstitutionRole.Admin;

    public static InstitutionMembership Join(string institutionId, string userId, InstitutionRole role, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.InstitutionMembership, now),
            InstitutionId = institutionId,
            UserId = userId,
            Role = role,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };

    public void ChangeRole(InstitutionRole role, DateTimeOffset now)
    {
        Role = role;
        UpdatedAt = now.UtcDateTime;
    }

    public void SetActive(bool active, DateTimeOffset now)
    {
        IsActive = active;
        UpdatedAt = now.UtcDateTime;
    }
}
