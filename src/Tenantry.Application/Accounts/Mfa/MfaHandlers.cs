using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Mfa;

/// <summary>What enrolment hands the user, once: the secret in every form an authenticator app takes.</summary>
public sealed record TotpEnrolment(string Secret, string OtpauthUri, string QrCode, string Issuer, string AccountName);

public sealed record MfaStatus(bool Enabled, bool Pending, DateTime? ConfirmedAt, int RecoveryCodesRemaining, bool SessionVerified);

/// <summary>A fresh access token of the caller's session, now MFA-verified.</summary>
public sealed record StepUpResult(string SessionId, string AccessToken, TimeSpan AccessTokenLifetime);

public sealed record ConfirmTotpCommand(string? Code);

public sealed class ConfirmTotpValidator : AbstractValidator<ConfirmTotpCommand>
{
    public ConfirmTotpValidator() => RuleFor(c => c.Code).Required().MaxChars(MfaProofValidator.MaxCodeLength);
}

/// <summary>
/// Starts (or restarts) TOTP enrolment: a new secret, pending until confirmed with a code.
/// Concurrent enrolments of one user end like consecutive ones: the last secret stored is the
/// one that can be confirmed; an enrolment racing a confirm never replaces a confirmed secret.
/// </summary>
public sealed class EnrolTotpHandler(TenantryDbContext db, SecretsAtRest secrets, IOptions<AuthOptions> options, TimeProvider clock)
{
    public async Task<Result<TotpEnrolment>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        var secret = TotpCodes.NewSecret();
        var protectedSecret = secrets.Protect(SecretKind.TotpSecret, secret);
        var stored = await StoreAsync(caller.UserId, protectedSecret, cancellationToken);
        if (!stored.IsSuccess)
        {
            return stored.Error;
        }
        var issuer = options.Value.TotpIssuer;
        var uri = TotpCodes.Uri(issuer, user.Email, secret);
        return new TotpEnrolment(TotpCodes.Base32(secret), uri, TotpCodes.QrCodeDataUri(uri), issuer, user.Email);
    }

    private async Task<Result> StoreAsync(string userId, string protectedSecret, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Under the row lock a confirm takes too: a confirm in flight finishes first, and its result is read here.
            if (await db.LockTotpAuthenticatorAsync(userId, cancellationToken))
            {
                var existing = await db.TotpAuthenticators.FirstAsync(t => t.UserId == userId, cancellationToken);
                if (existing.IsConfirmed)
                {
                    return new MfaAlreadyEnabled();
                }
                existing.Replace(protectedSecret, now);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return Result.Success;
            }
        }
        var enrolment = TotpAuthenticator.Enrol(userId, protectedSecret, now);
        db.TotpAuthenticators.Add(enrolment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success;
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.TotpAuthenticator))
        {
            // Another request of this user enrolled at the same moment: restart over its row, as a later request would.
            db.Entry(enrolment).State = EntityState.Detached;
            return await StoreAsync(userId, protectedSecret, cancellationToken);
        }
    }
}

/// <summary>
/// Activates a pending enrolment with its first code and issues the recovery codes (shown
/// once). The caller's session has just proved the second factor, so it becomes MFA-verified.
/// Concurrent confirms of one enrolment: the first confirms, the others answer that MFA is on.
/// </summary>
public sealed class ConfirmTotpHandler(TenantryDbContext db, IValidator<ConfirmTotpCommand> validator, SecondFactor secondFactor, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<string>>> HandleAsync(ConfirmTotpCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        // One confirm at a time per user: a concurrent one waits for the row lock, then finds the
        // enrolment confirmed. Committed whatever the outcome, so that a wrong code still counts.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await ConfirmLockedAsync(command.Code!, caller, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<Result<IReadOnlyList<string>>> ConfirmLockedAsync(string code, Caller caller, CancellationToken cancellationToken)
    {
        if (!await db.LockTotpAuthenticatorAsync(caller.UserId, cancellationToken))
        {
            return new MfaNotEnabled();
        }
        var pending = await db.TotpAuthenticators.FirstAsync(t => t.UserId == caller.UserId, cancellationToken);
        if (pending.IsConfirmed)
        {
            return new MfaAlreadyEnabled();
        }
        var verified = await secondFactor.ConfirmAsync(pending, code, cancellationToken);
        if (!verified.IsSuccess)
        {
            return verified.Error;
        }
        var codes = await secondFactor.IssueRecoveryCodesAsync(caller.UserId, cancellationToken);
        var session = await db.Sessions.FirstAsync(s => s.Id == caller.SessionId, cancellationToken);
        session.MarkMfaVerified(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return codes;
    }
}

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

public sealed class GetMfaStatusHandler(TenantryDbContext db)
{
    public async Task<MfaStatus> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var authenticator = await db.TotpAuthenticators.AsNoTracking().FirstOrDefaultAsync(t => t.UserId == caller.UserId, cancellationToken);
        var remaining = await db.RecoveryCodes.CountAsync(c => c.UserId == caller.UserId && c.UsedAt == null, cancellationToken);
        return new MfaStatus(authenticator?.IsConfirmed == true, authenticator is { IsConfirmed: false }, authenticator?.ConfirmedAt, remaining, caller.MfaVerified);
    }
}

public sealed record CompleteMfaSignInCommand(string? ChallengeId, string? Code, string? RecoveryCode);

public sealed class CompleteMfaSignInValidator : AbstractValidator<CompleteMfaSignInCommand>
{
    public CompleteMfaSignInValidator()
    {
        RuleFor(c => c.ChallengeId).Required().MaxChars(200);
        When(c => string.IsNullOrWhiteSpace(c.RecoveryCode), () => RuleFor(c => c.Code).Required());
        RuleFor(c => c.Code).MaxChars(MfaProofValidator.MaxCodeLength);
        RuleFor(c => c.RecoveryCode).MaxChars(MfaProofValidator.MaxCodeLength);
    }
}

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
        if (user is null || !user.CanSignIn)
        {
            return new MfaChallengeInvalid();
        }
        var tokens = await sessions.StartAsync(db, user, origin, cancellationToken, mfaVerified: true);
        await db.SaveChangesAsync(cancellationToken);
        return tokens;
    }
}
