namespace Tenantry.Domain.Memberships;

/// <summary>
/// Who may hand out (or take away) which role: owners any role; everyone else only roles
/// whose permissions are a subset of their own, and never <c>Owner</c>. Applies to inviting,
/// changing and removing members and to editing custom roles, so no one can lift another
/// person (or themselves, through a role they edit) above their own standing.
/// </summary>
public static class RoleGrants
{
    public static bool MayGrant(bool grantorIsOwner, IReadOnlyCollection<string> grantorPermissions, IEnumerable<string> permissions) =>
        grantorIsOwner || permissions.All(p => grantorPermissions.Contains(p, StringComparer.Ordinal));

    public static bool MayGrant(bool grantorIsOwner, IReadOnlyCollection<string> grantorPermissions, WorkspaceRole role) =>
        grantorIsOwner || (!role.IsOwner && MayGrant(false, grantorPermissions, role.Permissions));
}
