using Tenantry.Domain.Common;

namespace Tenantry.Domain.Institutions;

/// <summary>
/// Who may change whose organization role, and to what. A membership holds one role (Owner, Admin or Member): adding a
/// role sets it, taking away Owner or Admin leaves Member, and Member itself cannot be taken away. An Owner changes any
/// role; an Admin moves non-owners between Member and Admin; a Member changes none. "The institution keeps someone who
/// runs it" is <see cref="InstitutionManagers"/>'s rule, decided by the caller under the institution lock.
/// </summary>
public static class InstitutionRoles
{
    /// <summary>The role a member holds after <paramref name="removed"/> is taken away from <paramref name="held"/>.</summary>
    public static Result<InstitutionRole> AfterRemoving(InstitutionRole held, InstitutionRole removed)
    {
        if (removed != held)
        {
            return new InstitutionRoleNotHeld();
        }
        if (removed == InstitutionRole.Member)
        {
            return new MemberRoleRequired();
        }
        return InstitutionRole.Member;
    }

    /// <summary>Null when <paramref name="actor"/> may move a member from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static DomainError? MayChange(InstitutionRole actor, InstitutionRole from, InstitutionRole to) => actor switch
    {
        InstitutionRole.Owner => null,
        InstitutionRole.Admin when from != InstitutionRole.Owner && to != InstitutionRole.Owner => null,
        InstitutionRole.Admin => new RoleExceedsGrantor(),
        _ => new PermissionDenied(ManagePermission),
    };

    /// <summary>Null when <paramref name="actor"/> may remove a member holding <paramref name="target"/> from the institution.</summary>
    public static DomainError? MayRemove(InstitutionRole actor, InstitutionRole target) => actor switch
    {
        InstitutionRole.Owner => null,
        InstitutionRole.Admin when target != InstitutionRole.Owner => null,
        InstitutionRole.Admin => new RoleExceedsGrantor(),
        _ => new PermissionDenied(ManagePermission),
    };

    /// <summary>True when <paramref name="to"/> runs less of the institution than <paramref name="from"/> (Owner, then Admin, then Member).</summary>
    public static bool IsDemotion(InstitutionRole from, InstitutionRole to) => to > from;

    /// <summary>The permission a member lacks when they do not run the institution (Wacht's organization permission).</summary>
    public const string ManagePermission = "organization:manage";
}
