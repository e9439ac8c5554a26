namespace Tenantry.Domain.Invitations;

/// <summary>On what grounds a signed-in account may answer (accept or decline) an invitation.</summary>
public enum InvitationClaim
{
    /// <summary>None: to this account the invitation does not exist (4040).</summary>
    None,

    /// <summary>The account's verified address is the invited one.</summary>
    VerifiedAddress,

    /// <summary>The invitation's token, for the account's own address, which is not verified yet: the token proves the mailbox, so the address becomes verified.</summary>
    TokenForOwnAddress,

    /// <summary>The invitation's token, for another address, in a workspace whose policy lets a token holder take the invitation.</summary>
    TokenTransfer,
}

/// <summary>
/// Who may answer an invitation: the holder of its token, or the account whose verified address is
/// the invited one. A token for another address binds to the signed-in account only when the
/// workspace's policy allows it (<c>allowInvitationTransfer</c>). An unverified address alone proves
/// nothing: anyone can sign up with any address.
/// </summary>
public static class InvitationAccess
{
    public static InvitationClaim Decide(bool addressedToCaller, bool callerEmailVerified, bool tokenMatches, bool transferAllowed) =>
        (addressedToCaller, callerEmailVerified, tokenMatches, transferAllowed) switch
        {
            (true, true, _, _) => InvitationClaim.VerifiedAddress,
            (true, false, true, _) => InvitationClaim.TokenForOwnAddress,
            (false, _, true, true) => InvitationClaim.TokenTransfer,
            _ => InvitationClaim.None,
        };
}
