using System.Net;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Domain.Policies;

/// <summary>Why a member cannot enter a workspace right now. Both dialects derive their fields from this.</summary>
public enum EligibilityRestriction
{
    None,
    IpNotAllowed,
    MfaRequired,
    IpAndMfaRequired,
    WorkspaceSuspended,
    MembershipInactive,
}

/// <summary>Everything that decides whether one membership may be entered by one request.</summary>
public readonly record struct EligibilityFacts(
    WorkspaceStatus WorkspaceStatus,
    MembershipStatus MembershipStatus,
    WorkspacePolicy? WorkspacePolicy,
    IReadOnlyCollection<string> InstitutionIpAllowlist,
    bool InstitutionEnforcesMfa,
    IPAddress? ClientIp,
    bool SessionMfaVerified);

public readonly record struct EligibilityDecision(EligibilityRestriction Restriction, bool DefaultEligible)
{
    public bool Enterable => Restriction == EligibilityRestriction.None;
}

/// <summary>
/// The caller is a member, but the workspace is not enterable for this request (suspended,
/// membership inactive, client IP not allowed, MFA required): workspace endpoints refuse it,
/// except leaving.
/// </summary>
public sealed record NotEnterable(EligibilityRestriction Restriction) : DomainError;

/// <summary>
/// A member's policy change would leave the workspace not enterable for the very request that
/// makes it (their IP outside the new allow-list, MFA enforced on a session without it): refused,
/// so nobody locks themselves out. Operators are not bound.
/// </summary>
public sealed record PolicyLocksOutCaller(EligibilityRestriction Restriction) : DomainError;

/// <summary>
/// The one place that decides eligibility. <c>defaultEligible</c> depends only on stored
/// state (workspace active, membership active); <c>enterable</c> also needs the policies
/// of the workspace and of its institution to admit this request (client IP, MFA).
/// </summary>
public static class Eligibility
{
    public static EligibilityDecision Decide(in EligibilityFacts facts)
    {
        if (facts.WorkspaceStatus != WorkspaceStatus.Active)
        {
            return new(EligibilityRestriction.WorkspaceSuspended, DefaultEligible: false);
        }
        if (facts.MembershipStatus != MembershipStatus.Active)
        {
            return new(EligibilityRestriction.MembershipInactive, DefaultEligible: false);
        }

        var ipAllowed = IpAllowlist.Admits(facts.WorkspacePolicy?.IpAllowlist ?? [], facts.ClientIp)
            && IpAllowlist.Admits(facts.InstitutionIpAllowlist, facts.ClientIp);
        var mfaEnforced = facts.InstitutionEnforcesMfa || facts.WorkspacePolicy?.EnforceMfa == true;
        var mfaSatisfied = !mfaEnforced || facts.SessionMfaVerified;

        var restriction = (ipAllowed, mfaSatisfied) switch
        {
            (true, true) => EligibilityRestriction.None,
            (false, true) => EligibilityRestriction.IpNotAllowed,
            (true, false) => EligibilityRestriction.MfaRequired,
            (false, false) => EligibilityRestriction.IpAndMfaRequired,
        };
        return new(restriction, DefaultEligible: true);
    }
}
