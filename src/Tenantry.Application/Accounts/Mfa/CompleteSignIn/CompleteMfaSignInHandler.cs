using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Mfa.CompleteSignIn;

/// <summary>
/// The second step of an MFA sign-in: the challenge from the first step and a code. A wrong
/// code counts against the challenge (dead after <see cref="MfaChallenge.MaxAttempts"/>) and the
/// user's lockout; a right one consumes the challenge and starts an MFA-verified session.
/// </summary>
public sealed class CompleteMfaSignInHandler(
    TenantryDbContext db, IValidator<CompleteMfaSignInCommand> validator, SecondFactor secondFactor, SessionIssuer sessions, TimeProvider clock)
{
    public async Task<Result<AuthTokens>> HandleAsync(CompleteMfaSignInCommand command, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var hash = TokenHashing.Hash(command.ChallengeId!);
        var now = clock.GetUtcNow();
        var challenge = await db.MfaChallenges.AsNoTracking().FirstOrDefaultAsync(c => c.TokenHash == hash, cancellationToken);
        if (challenge is null || !challenge.IsOpenAt(now))
        {
            return new MfaChallengeInvalid();
        }

        var verified = await secondFactor.VerifyAsync(challenge.UserId, new MfaProof(command.Code, command.RecoveryCode), cancellationToken);
        if (!verified.IsSuccess)
        {
            if (verified.Error is InvalidMfaCode)
            {
                await db.MfaChallenges.Where(c => c.TokenHash == hash)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, c => c.FailedAttempts + 1), cancellationToken);
            }
            return verified.Error;
        }

        // Single use, even when two right codes race.
        var consumed = await db.MfaChallenges
            .Where(c => c.TokenHash == hash && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now.UtcDateTime), cancellationToken) == 1;
        var user = consumed ? await db.Users.FirstOrDefaultAsync(u => u.Id == challenge.UserId, cancellationToken) : null;
        if (user is null)
        {
            return new MfaChallengeInvalid();
        }
        if (!user.CanSignIn)
        {
            return new AccountDisabled();
        }
        var tokens = await sessions.StartAsync(db, user, origin, cancellationToken, mfaVerified: true);
        await db.SaveChangesAsync(cancellationToken);
        return tokens;
    }
}
