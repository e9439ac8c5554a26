using FluentValidation;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Mfa.RegenerateRecoveryCodes;

/// <summary>Replaces the recovery codes (the old ones stop working); needs a current code.</summary>
public sealed class RegenerateRecoveryCodesHandler(TenantryDbContext db, IValidator<MfaProof> validator, SecondFactor secondFactor)
{
    public async Task<Result<IReadOnlyList<string>>> HandleAsync(MfaProof proof, Caller caller, CancellationToken cancellationToken)
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
        var codes = await secondFactor.IssueRecoveryCodesAsync(caller.UserId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return codes;
    }
}
