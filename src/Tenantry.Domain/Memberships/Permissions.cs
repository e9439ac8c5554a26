namespace Tenantry.Domain.Memberships;

/// <summary>
/// The fixed permission catalogue. Custom roles choose from it; the same strings appear
/// in both dialects (SYSTEM role permissions, Wacht flat <c>permissions[]</c>).
/// </summary>
public static class Permissions
{
    public const string WorkspaceRead = "workspace.read";
    public const string WorkspaceUpdate = "workspace.update";
    public const string MembersRead = "members.read";
    public const string MembersInvite = "members.invite";
    public const string MembersRemove = "members.remove";
    public const string MembersRoleChange = "members.role.change";
    public const string RolesManage = "roles.manage";
    public const string AuditRead = "audit.read";

    /// <summary>Set or clear a workspace's policies (IP allow-list, enforced MFA); <see cref="WorkspaceUpdate"/> alone does not.</summary>
    public const string PoliciesManage = "policies.manage";

    /// <summary>Manage the institution's webhook endpoints (with Owner or Admin standing in the institution, see docs/WEBHOOKS.md).</summary>
    public const string WebhooksManage = "webhooks.manage";

    /// <summary>
    /// Every permission, in catalogue order (the order the API lists them in). A permission added
    /// here is appended, and a migration grants it to the stored Owner roles (owners hold every permission).
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        WorkspaceRead, WorkspaceUpdate, MembersRead, MembersInvite, MembersRemove, MembersRoleChange, RolesManage, AuditRead, PoliciesManage,
        WebhooksManage,
    ];

    public static IReadOnlyList<string> MemberDefaults { get; } = [WorkspaceRead, MembersRead];

    public static bool IsKnown(string permission) => All.Contains(permission, StringComparer.Ordinal);

    /// <summary>Catalogue order, no duplicates: how permission lists are stored and shown.</summary>
    public static List<string> Canonical(IEnumerable<string> permissions)
    {
        var set = permissions.ToHashSet(StringComparer.Ordinal);
        return All.Where(set.Contains).ToList();
    }
}
