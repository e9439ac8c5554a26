using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.EmailVerification;

/// <summary>How an address was proven; the <c>method</c> of an <c>email.verified</c> account event.</summary>
public static class EmailVerificationMethods
{
    public const string Link = "link";
    public const string Code = "code";
    public const string Invitation = "invitation";
    public const string Operator = "operator";
}

/// <summary>Configuration: Tenantry:EmailVerification.</summary>
public sealed class EmailVerificationOptions
{
    /// <summary>How long the link and the code of a verification email work.</summary>
    public TimeSpan ValidFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Optional link put in verification emails, with <c>{token}</c> replaced, e.g.
    /// <c>https://app.example.com/verify-email?token={token}</c>: the page posts the token to
    /// <c>POST /web/v1/auth/email/verify</c>. Unset: the email shows the token itself beside the code.
    /// </summary>
    public string? VerifyUrl { get; set; }
}

/// <summary>
/// Issues verification secrets: a link token (256 random bits) and a 6-digit code, stored only as
/// hashes on the account's one open <see cref="Domain.Accounts.EmailVerification"/> (a new issue
/// replaces the old, whose secrets stop working), and sent in clear only inside the email, whose
/// queued copy in the outbox carries them encrypted.
/// </summary>
public sealed class EmailVerifications(TenantryDbContext db, SecretsAtRest secrets, IOptions<EmailVerificationOptions> options)
{
    public const int CodeDigits = 6;

    public TimeSpan ValidFor => options.Value.ValidFor;

    /// <summary>Six decimal digits from the OS CSPRNG.</summary>
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>
    /// A code has only a million values, so its hash is salted with the id of its issue: a
    /// stolen table cannot be looked up in one precomputed table. (Whoever reads the table can
    /// still try the million values of one row; the row lives at most <see cref="ValidFor"/>.)
    /// </summary>
    public static string CodeHash(string verificationId, string code) => TokenHashing.Hash(verificationId + ":" + code);

    /// <summary>Adds the first verification of an account that is being registered (stored by the caller's SaveChanges, with the account).</summary>
    public void IssueForNewAccount(UserAccount user, DateTimeOffset now)
    {
        var issue = NewIssue(user, now);
        db.EmailVerifications.Add(Domain.Accounts.EmailVerification.Issue(
            issue.Id, user.Id, user.NormalizedEmail, issue.TokenHash, issue.CodeHash, ValidFor, now));
        Queue(user, issue, now);
    }

    /// <summary>
    /// Replaces the account's open verification (or starts one) and queues its email. Runs its
    /// statements at once: call inside the caller's transaction, then SaveChanges for the email.
    /// </summary>
    public async Task<DateTime> ReissueAsync(UserAccount user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var issue = NewIssue(user, now);
        if (!await ReplaceAsync(user, issue, now, cancellationToken))
        {
            var fresh = Domain.Accounts.EmailVerification.Issue(issue.Id, user.Id, user.NormalizedEmail, issue.TokenHash, issue.CodeHash, ValidFor, now);
            db.EmailVerifications.Add(fresh);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.EmailVerification))
            {
                // A concurrent request started one at the same moment: replace that one.
                db.Entry(fresh).State = EntityState.Detached;
                await ReplaceAsync(user, issue, now, cancellationToken);
            }
        }
        Queue(user, issue, now);
        return (now + ValidFor).UtcDateTime;
    }

    /// <summary>
    /// Marks the address verified (tracked; the caller saves) with an account event, and drops the
    /// open verification, which has nothing left to prove. False when it was verified already.
    /// </summary>
    public async Task<bool> MarkVerifiedAsync(
        UserAccount user, string method, string? actorUserId, string? clientIp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.EmailVerifications.Where(v => v.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        if (!user.MarkEmailVerified(now))
        {
            return false;
        }
        var details = AuditDetails.Of(("method", method), ("email", user.Email));
        db.AccountEvents.Add(actorUserId is null
            ? AccountEvent.ByOperator(user.Id, AccountActions.EmailVerified, details, now)
            : AccountEvent.ByUser(user.Id, actorUserId, AccountActions.EmailVerified, clientIp, details, now));
        return true;
    }

    private async Task<bool> ReplaceAsync(UserAccount user, Issue issue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var createdAt = now.UtcDateTime;
        var expiresAt = (now + ValidFor).UtcDateTime;
        return await db.EmailVerifications.Where(v => v.UserId == user.Id).ExecuteUpdateAsync(v => v
            .SetProperty(x => x.Id, issue.Id)
            .SetProperty(x => x.NormalizedEmail, user.NormalizedEmail)
            .SetProperty(x => x.TokenHash, issue.TokenHash)
            .SetProperty(x => x.CodeHash, issue.CodeHash)
            .SetProperty(x => x.CodeAttempts, 0)
            .SetProperty(x => x.CreatedAt, createdAt)
            .SetProperty(x => x.ExpiresAt, expiresAt), cancellationToken) == 1;
    }

    private static Issue NewIssue(UserAccount user, DateTimeOffset now)
    {
        var id = EntityId.New(EntityId.EmailVerification, now);
        var token = TokenHashing.NewSecret();
        var code = NewCode();
        return new Issue(id, token, code, TokenHashing.Hash(token), CodeHash(id, code));
    }

    private void Queue(UserAccount user, Issue issue, DateTimeOffset now)
    {
        // The request's negotiated language (set by the host's request localization).
        var language = CultureInfo.CurrentUICulture.Name;
        OutboxWriter.Enqueue(db, OutboxKinds.EmailVerification, new EmailVerificationPayload(
            user.Id, issue.Id, user.Email, user.DisplayName,
            secrets.ProtectText(SecretKind.OutboxSecret, issue.Token), secrets.ProtectText(SecretKind.OutboxSecret, issue.Code),
            (now + ValidFor).UtcDateTime, language), now);
    }

    private sealed record Issue(string Id, string Token, string Code, string TokenHash, string CodeHash);
}
