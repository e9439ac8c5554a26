using Tenantry.Domain.Common;

namespace Tenantry.Domain.Institutions;

/// <summary>The caller is not a member of the organization (institution) they named.</summary>
public sealed record NotAnOrganizationMember : DomainError;

/// <summary>
/// Leaving would leave the organization without anyone to run it: the last Owner, or the
/// last Admin of an organization that has no Owner.
/// </summary>
public sealed record SoleOrganizationOwner : DomainError;

/// <summary>"An organization keeps someone who can manage it."</summary>
public static class OrganizationManagers
{
    /// <summary>
    /// True when a member in <paramref name="role"/> may not leave because none of
    /// <paramref name="otherRoles"/> (everyone else's roles) could take over.
    /// </summary>
    public static bool IsIndispensable(OrganizationRole role, IReadOnlyCollection<OrganizationRole> otherRoles) => role switch
    {
        OrganizationRole.Owner => !otherRoles.Contains(OrganizationRole.Owner),
        OrganizationRole.Admin => !otherRoles.Any(r => r is OrganizationRole.Owner or OrganizationRole.Admin),
        _ => false,
    };
}
