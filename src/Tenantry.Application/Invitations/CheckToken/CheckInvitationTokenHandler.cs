using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations.CheckToken;

/// <summary>Whether an invitation token from an email can still be accepted, and the address it was sent to.</summary>
/// <param name="InvitationId">The invitation the token is for: for accepting by token alone (Wacht), never shown before sign-in.</param>
public sealed record InvitationTokenCheck(bool Valid, string? Email, string? InvitationId = null)
{
    public static readonly InvitationTokenCheck Invalid = new(false, null);
}

/// <summary>
/// Looks an invitation up by the token of its latest email, without signing in: a sign-up page
/// opened from the invitation link fills in the invited address. Only a pending, unexpired
/// invitation is valid; nothing else about it (workspace, inviter) is told to whoever holds the
/// token before they sign in. The token is 256 random bits, so its hash is looked up directly.
/// </summary>
public sealed class CheckInvitationTokenHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<InvitationTokenCheck> HandleAsync(string token, CancellationToken cancellationToken)
    {
        token = token.Trim();
        if (token.Length is 0 or > InvitationQueries.MaxTokenLength)
        {
            return InvitationTokenCheck.Invalid;
        }
        var hash = TokenHashing.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.Invitations.AsNoTracking()
            .Where(i => i.TokenHash == hash && i.Status == InvitationStatus.Pending && i.ExpiresAt > now)
            .Select(i => new { i.Email, i.Id })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? InvitationTokenCheck.Invalid : new InvitationTokenCheck(true, found.Email, found.Id);
    }
}
