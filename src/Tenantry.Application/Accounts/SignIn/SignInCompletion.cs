using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Accounts.SignIn;

/// <summary>
/// What follows a proven password (a sign-in, a completed password reset): a session, or for an account with an
/// authenticator an MFA challenge that the second factor completes. Saves the context's changes.
/// </summary>
public sealed class SignInCompletion(SessionIssuer sessions, IOptions<AuthOptions> options, TimeProvider clock)
{
    public async Task<SignInOutcome> StartAsync(TenantryDbContext db, UserAccount user, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (await db.TotpAuthenticators.AnyAsync(t => t.UserId == user.Id && t.ConfirmedAt != null, cancellationToken))
        {
            var challengeId = "mfa_" + TokenHashing.NewSecret();
            var challenge = MfaChallenge.Start(TokenHashing.Hash(challengeId), user.Id, options.Value.MfaChallengeLifetime,
                origin.ClientIpText, origin.UserAgent, clock.GetUtcNow());
            db.MfaChallenges.Add(challenge);
            await db.SaveChangesAsync(cancellationToken);
            return new SignInOutcome(null, new MfaChallengeIssued(challengeId, challenge.ExpiresAt));
        }

        var tokens = await sessions.StartAsync(db, user, origin, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new SignInOutcome(tokens, null);
    }
}
