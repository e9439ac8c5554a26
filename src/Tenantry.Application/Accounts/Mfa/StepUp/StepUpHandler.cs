using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Mfa.StepUp;

/// <summary>A fresh access token of the caller's session, now MFA-verified.</summary>
public sealed record StepUpResult(string SessionId, string AccessToken, TimeSpan AccessTokenLifetime);

/// <summary>Step-up: proves the second factor on the current session, which becomes MFA-verified (workspaces enforcing MFA become enterable).</summary>
public sealed class StepUpHandler(TenantryDbContext db, IValidator<MfaProof> validator, SecondFactor secondFactor, AccessTokens accessTokens, TimeProvider clock)
{
    public async Task<Result<StepUpResult>> HandleAsync(MfaProof proof, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(proof, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var verified = await secondFactor.VerifyAsync(caller.UserId, proof, cancellationToken);
        if (!verified.IsSuccess)
        {
            return verified.Error;
        }
        var session = await db.Sessions.FirstAsync(s => s.Id == caller.SessionId, cancellationToken);
        session.MarkMfaVerified(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        var token = await accessTokens.IssueAsync(caller.UserId, caller.SessionId, mfaVerified: true, cancellationToken);
        return new StepUpResult(caller.SessionId, token, accessTokens.Lifetime);
    }
}
