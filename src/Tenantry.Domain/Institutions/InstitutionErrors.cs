using Tenantry.Domain.Common;

namespace Tenantry.Domain.Institutions;

/// <summary>The caller is not a member of the institution they named.</summary>
public sealed record NotAnInstitutionMember : DomainError;

/// <summary>
/// Leaving would leave the institution without anyone to run it: the last Owner, or the
/// last Admin of an institution that has no Owner.
/// </summary>
public sealed record SoleInstitutionOwner : DomainError;

/// <summary>"An institution keeps someone who can manage it."</summary>
public static class InstitutionManagers
{
    /// <summary>
    /// True when a member in <paramref name="role"/> may not leave because none of
    /// <paramref name="otherRoles"/> (everyone else's roles) could take over.
    /// </summary>
    public static bool IsIndispensable(InstitutionRole role, IReadOnlyCollection<InstitutionRole> otherRoles) => role switch
    {
        InstitutionRole.Owner => !otherRoles.Contains(InstitutionRole.Owner),
        InstitutionRole.Admin => !otherRoles.Any(r => r is InstitutionRole.Owner or InstitutionRole.Admin),
        _ => false,
    };
}
