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

/// <summary>The change would leave the institution without an Owner (or, in one that has none, without an Admin).</summary>
public sealed record LastInstitutionOwner : DomainError;

/// <summary>Taking away an organization role the member does not hold.</summary>
public sealed record InstitutionRoleNotHeld : DomainError;

/// <summary>Removing the member from the institution would leave <paramref name="WorkspaceName"/> without an owner.</summary>
public sealed record LastOwnerOfWorkspace(string WorkspaceName) : DomainError;

/// <summary>
/// An institution's policies (enforced MFA, the IP allow-list, the workspace new members join) are set by an operator:
/// a member's update may send them only unchanged. Each dialect names <paramref name="Policy"/> as its requests do.
/// </summary>
public sealed record InstitutionPolicyIsOperators(InstitutionPolicy Policy) : DomainError;

/// <summary>The policies an institution's operator sets for all of its workspaces.</summary>
public enum InstitutionPolicy
{
    EnforceMfa,
    IpAllowlist,
    AutoAssignedWorkspace,
}
