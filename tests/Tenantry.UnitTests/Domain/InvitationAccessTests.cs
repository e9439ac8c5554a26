using Tenantry.Domain.Invitations;

namespace Tenantry.UnitTests.Domain;

/// <summary>Who may answer an invitation (issue 13): the token, or a verified address equal to the invited one; a token for another address only where the workspace allows transfer.</summary>
public sealed class InvitationAccessTests
{
    [Theory]
    // addressed to caller, caller verified, token matches, transfer allowed → claim
    [InlineData(true, true, false, false, InvitationClaim.VerifiedAddress)]
    [InlineData(true, true, true, false, InvitationClaim.VerifiedAddress)]
    [InlineData(true, false, true, false, InvitationClaim.TokenForOwnAddress)]
    [InlineData(true, false, true, true, InvitationClaim.TokenForOwnAddress)]
    [InlineData(true, false, false, false, InvitationClaim.None)]
    [InlineData(true, false, false, true, InvitationClaim.None)]
    [InlineData(false, true, true, true, InvitationClaim.TokenTransfer)]
    [InlineData(false, false, true, true, InvitationClaim.TokenTransfer)]
    [InlineData(false, true, true, false, InvitationClaim.None)]
    [InlineData(false, true, false, true, InvitationClaim.None)]
    [InlineData(false, false, false, false, InvitationClaim.None)]
    public void The_claim_follows_the_rule(bool addressed, bool verified, bool token, bool transfer, InvitationClaim expected) =>
        Assert.Equal(expected, InvitationAccess.Decide(addressed, verified, token, transfer));
}
