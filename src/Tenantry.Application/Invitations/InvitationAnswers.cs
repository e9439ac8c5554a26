using Tenantry.Application.Common;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations;

/// <summary>What the audit trail says about an accept or a decline: on which grounds the account answered.</summary>
public static class InvitationAnswers
{
    /// <summary>
    /// <c>via</c>: <c>verified_email</c> (the account's verified address is the invited one) or <c>token</c>
    /// (the invitation's token); <c>transferredFrom</c>: the invited address, when a token holder with another
    /// address took the invitation (the workspace's policy allows it).
    /// </summary>
    public static string Details(InvitationClaim claim, Invitation invitation, params (string Name, object? Value)[] more)
    {
        var fields = more.ToList();
        fields.Add(("via", claim == InvitationClaim.VerifiedAddress ? "verified_email" : "token"));
        if (claim == InvitationClaim.TokenTransfer)
        {
            fields.Add(("transferredFrom", invitation.Email));
        }
        return AuditDetails.Of([.. fields]);
    }
}
