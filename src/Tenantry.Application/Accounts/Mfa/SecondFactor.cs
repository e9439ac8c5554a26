using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Lockouts;
using Tenantry.Application.Common;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Mfa;

/// <summary>Proof of the second factor: a current TOTP code, or one of the recovery codes.</summary>
public sealed record MfaProof(string? Code, string? RecoveryCode);

public sealed class MfaProofValidator : AbstractValidator<MfaProof>
{
    public const int MaxCodeLength = 64;

    public MfaProofValidator()
    {
        When(p => string.IsNullOrWhiteSpace(p.RecoveryCode), () => RuleFor(p => p.Code).Required());
        RuleFor(p => p.Code).MaxChars(MaxCodeLength);
        RuleFor(p => p.RecoveryCode).MaxChars(MaxCodeLength);
    }
}

/// <summary>
/// Checks a user's second factor, behind the abuse controls every entry point shares: the
/// per-user throttle, the persisted progressive lockout, TOTP replay protection (a code is
/// accepted once) and single use of recovery codes (spent in one conditional statement).
/// </summary>
public sealed class SecondFactor(
    TenantryDbContext db, SecretsAtRest secrets, AccountThrottle throttle, AuthLockouts lockouts, TimeProvider clock)
{
    /// <summary>Verifies a proof against the user's confirmed authenticator.</summary>
    public Task<Result> VerifyAsync(string userId, MfaProof proof, CancellationToken cancellationToken) =>
        GuardedAsync(userId, async () =>
        {
            if (!string.IsNullOrWhiteSpace(proof.RecoveryCode))
            {
                return await SpendRecoveryCodeAsync(userId, proof.RecoveryCode, cancellationToken) ? Verdict.Accepted : Verdict.Wrong;
            }
            var authenticator = await db.TotpAuthenticators.AsNoTracking()
                .FirstOrDefaultAsync(t => t.UserId == userId && t.ConfirmedAt != null, cancellationToken);
            if (authenticator is null)
            {
                return Verdict.NotEnrolled;
            }
            if (Match(authenticator, proof.Code!) is not { } step)
            {
                return Verdict.Wrong;
            }
            // Accept each code once: the step must be newer than the last one used, checked and set in one statement.
            var accepted = await db.TotpAuthenticators
                .Where(t => t.UserId == userId && t.ConfirmedAt != null && (t.LastUsedStep == null || t.LastUsedStep < step))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedStep, step), cancellationToken) == 1;
            return accepted ? Verdict.Accepted : Verdict.Wrong;
        }, cancellationToken);

    /// <summary>Verifies the first code of a pending enrolment and confirms it (tracked; the caller saves).</summary>
    public Task<Result> ConfirmAsync(TotpAuthenticator pending, string code, CancellationToken cancellationToken) =>
        GuardedAsync(pending.UserId, () =>
        {
            if (Match(pending, code) is not { } step)
            {
                return Task.FromResult(Verdict.Wrong);
            }
            pending.Confirm(step, clock.GetUtcNow());
            return Task.FromResult(Verdict.Accepted);
        }, cancellationToken);

    private async Task<Result> GuardedAsync(string userId, Func<Task<Verdict>> check, CancellationToken cancellationToken)
    {
        if (throttle.TryAcquire(ThrottledAction.MfaVerification, userId) is { } wait)
        {
            return new RateLimited(wait);
        }
        var lockout = await lockouts.CheckAsync(db, LockoutScope.SecondFactor, userId, cancellationToken);
        if (lockout.RetryAfter is { } locked)
        {
            return new RateLimited(locked);
        }
        switch (await check())
        {
            case Verdict.NotEnrolled:
                return new MfaNotEnabled();
            case Verdict.Wrong:
                await lockouts.RecordFailureAsync(db, LockoutScope.SecondFactor, userId, cancellationToken);
                return new InvalidMfaCode();
        }
        if (lockout.HasFailures)
        {
            await lockouts.ResetAsync(db, LockoutScope.SecondFactor, userId, cancellationToken);
        }
        return Result.Success;
    }

    private long? Match(TotpAuthenticator authenticator, string code)
    {
        var secret = secrets.Unprotect(SecretKind.TotpSecret, authenticator.ProtectedSecret);
        try
        {
            return TotpCodes.MatchStep(secret, code, clock.GetUtcNow());
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        }
    }

    private async Task<bool> SpendRecoveryCodeAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var hash = RecoveryCodes.Hash(code);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.RecoveryCodes
            .Where(c => c.UserId == userId && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken) == 1;
    }

    /// <summary>Replaces the user's recovery codes with fresh ones (tracked; the caller saves) and returns them in plain text, once.</summary>
    public async Task<List<string>> IssueRecoveryCodesAsync(string userId, CancellationToken cancellationToken)
    {
        await db.RecoveryCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var codes = RecoveryCodes.Generate();
        db.RecoveryCodes.AddRange(codes.Select(c => RecoveryCode.Issue(userId, RecoveryCodes.Hash(c), now)));
        return codes;
    }

    private enum Verdict
    {
        Accepted,
        Wrong,
        NotEnrolled,
    }
}
