using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Mfa.Disable;

/// <summary>Turns MFA off; needs a current code (or a recovery code), so a stolen session alone cannot.</summary>
public sealed class DisableTotpHandler(TenantryDbContext db, IValidator<MfaProof> validator, SecondFactor secondFactor)
{
    public async Task<Result> HandleAsync(MfaProof proof, Caller caller, CancellationToken cancellationToken)
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
        await db.RecoveryCodes.Where(c => c.UserId == caller.UserId).ExecuteDeleteAsync(cancellationToken);
        await db.TotpAuthenticators.Where(t => t.UserId == caller.UserId).ExecuteDeleteAsync(cancellationToken);
        return Result.Success;
    }
}
