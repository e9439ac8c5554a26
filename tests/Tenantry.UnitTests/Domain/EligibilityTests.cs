using System.Net;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.UnitTests.Domain;

public sealed class EligibilityTests
{
    private static readonly IPAddress s_inside = IPAddress.Parse("203.0.113.10");
    private static readonly IPAddress s_outside = IPAddress.Parse("198.51.100.10");

    private static EligibilityDecision Decide(
        WorkspaceStatus workspace = WorkspaceStatus.Active, MembershipStatus membership = MembershipStatus.Active,
        WorkspacePolicy? policy = null, string[]? institutionList = null, bool institutionMfa = false,
        IPAddress? ip = null, bool mfa = false) =>
        Eligibility.Decide(new EligibilityFacts(workspace, membership, policy, institutionList ?? [], institutionMfa, ip ?? s_inside, mfa));

    [Fact]
    public void No_policies_admit_everyone() =>
        Assert.Equal(new EligibilityDecision(EligibilityRestriction.None, true), Decide());

    [Fact]
    public void Suspension_wins_over_everything_and_is_not_default_eligible()
    {
        var decision = Decide(workspace: WorkspaceStatus.Suspended, membership: MembershipStatus.Inactive, institutionMfa: true, ip: s_outside,
            institutionList: ["203.0.113.0/24"]);
        Assert.Equal(EligibilityRestriction.WorkspaceSuspended, decision.Restriction);
        Assert.False(decision.DefaultEligible);
        Assert.False(decision.Enterable);
    }

    [Fact]
    public void An_inactive_membership_is_not_default_eligible()
    {
        var decision = Decide(membership: MembershipStatus.Inactive);
        Assert.Equal(EligibilityRestriction.MembershipInactive, decision.Restriction);
        Assert.False(decision.DefaultEligible);
    }

    [Theory]
    [InlineData(false, false, EligibilityRestriction.IpAndMfaRequired)]
    [InlineData(true, false, EligibilityRestriction.MfaRequired)]
    [InlineData(false, true, EligibilityRestriction.IpNotAllowed)]
    [InlineData(true, true, EligibilityRestriction.None)]
    public void Ip_and_mfa_combine(bool ipInside, bool sessionMfa, EligibilityRestriction expected)
    {
        var decision = Decide(policy: new WorkspacePolicy(["203.0.113.0/24"], EnforceMfa: true), ip: ipInside ? s_inside : s_outside, mfa: sessionMfa);
        Assert.Equal(expected, decision.Restriction);
        Assert.True(decision.DefaultEligible);
        Assert.Equal(expected == EligibilityRestriction.None, decision.Enterable);
    }

    [Fact]
    public void Institution_and_workspace_lists_must_both_admit()
    {
        Assert.Equal(EligibilityRestriction.IpNotAllowed,
            Decide(policy: new WorkspacePolicy(["198.51.100.0/24"], false), institutionList: ["203.0.113.0/24"]).Restriction);
        Assert.Equal(EligibilityRestriction.None,
            Decide(policy: new WorkspacePolicy(["203.0.113.0/28"], false), institutionList: ["203.0.113.0/24"]).Restriction);
    }

    [Fact]
    public void Institution_mfa_applies_to_every_workspace() =>
        Assert.Equal(EligibilityRestriction.MfaRequired, Decide(policy: new WorkspacePolicy([], false), institutionMfa: true).Restriction);

    [Fact]
    public void An_unknown_client_ip_fails_a_non_empty_allowlist() =>
        Assert.Equal(EligibilityRestriction.IpNotAllowed,
            Eligibility.Decide(new EligibilityFacts(WorkspaceStatus.Active, MembershipStatus.Active, null, ["0.0.0.0/0"], false, null, false)).Restriction);
}
