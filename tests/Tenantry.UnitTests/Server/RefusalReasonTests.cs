using Tenantry.Domain.Policies;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.WachtApi;

namespace Tenantry.UnitTests.Server;

/// <summary>How each dialect names why a workspace cannot be entered (WORKSPACE.NOT_ENTERABLE, Wacht's eligibility type).</summary>
public sealed class RefusalReasonTests
{
    [Theory]
    [InlineData(EligibilityRestriction.IpNotAllowed, "IP_NOT_ALLOWED", "ip_not_allowed")]
    [InlineData(EligibilityRestriction.MfaRequired, "MFA_REQUIRED", "mfa_required")]
    [InlineData(EligibilityRestriction.IpAndMfaRequired, "IP_AND_MFA_REQUIRED", "ip_and_mfa_required")]
    [InlineData(EligibilityRestriction.WorkspaceSuspended, "WORKSPACE_SUSPENDED", "workspace_suspended")]
    [InlineData(EligibilityRestriction.MembershipInactive, "MEMBERSHIP_INACTIVE", "membership_inactive")]
    public void Both_dialects_name_the_reason(EligibilityRestriction restriction, string envelopeReason, string wachtType)
    {
        var envelope = EnvelopeErrors.Describe(new NotEnterable(restriction));
        Assert.Equal((403, "WORKSPACE.NOT_ENTERABLE", envelopeReason), (envelope.Status, envelope.Code, envelope.Reason));
        Assert.Equal("Eligibility." + restriction, envelope.MessageKey);

        var wacht = WachtErrors.Describe(new NotEnterable(restriction));
        Assert.Equal((403, wachtType), (wacht.Status, wacht.Type));

        var lockOut = EnvelopeErrors.Describe(new PolicyLocksOutCaller(restriction));
        Assert.Equal((409, "WORKSPACE.POLICY_LOCKS_OUT_CALLER", envelopeReason), (lockOut.Status, lockOut.Code, lockOut.Reason));
    }
}
