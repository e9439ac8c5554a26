using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.PasswordReset;

/// <summary>Configuration: Tenantry:PasswordReset.</summary>
public sealed class PasswordResetOptions
{
    /// <summary>How long the emailed code works.</summary>
    public TimeSpan CodeValidFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the reset token (answered for a right code) works: enough to type a new password.</summary>
    public TimeSpan TokenValidFor { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The secrets of a password reset: the emailed 6-digit code (stored only as a hash salted with its issue's id, as email
/// verification codes are) and the reset token answered for a right code. The token is the account and the issue,
/// encrypted and authenticated with the shared Data Protection key ring, so any replica reads it; it works only while its
/// issue is open and verified, and the reset deletes the issue, so it works once.
/// </summary>
public sealed class PasswordResets(TenantryDbContext db, SecretsAtRest secrets, IDataProtectionProvider protection, IOptions<PasswordResetOptions> options)
{
    private readonly IDataProtector _tokens = protection.CreateProtector("Tenantry.PasswordReset.Token.v1");

    public PasswordResetOptions Settings => options.Value;

    public static string CodeHash(string resetId, string code) => EmailVerifications.CodeHash(resetId, code);

    /// <summary>
    /// Replaces the account's open reset (or starts one) and queues its email, in one transaction. For an address without
    /// an account the same transaction and delete run (against no row), without the two inserts, so both take about as long.
    /// </summary>
    public async Task IssueAsync(UserAccount? user, string normalizedEmail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = EntityId.New(EntityId.PasswordReset, now);
        var code = EmailVerifications.NewCode();
        var codeHash = CodeHash(id, code);
        var expiresAt = (now + Settings.CodeValidFor).UtcDateTime;
        var userId = user?.Id ?? "";
        await db.InTransactionAsync(async transaction =>
        {
            await db.PasswordResets.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            if (user is not null)
            {
                db.PasswordResets.Add(Domain.Accounts.PasswordReset.Issue(id, user.Id, normalizedEmail, codeHash, Settings.CodeValidFor, now));
                // The request's negotiated language: the email is written in it.
                OutboxWriter.Enqueue(db, OutboxKinds.PasswordReset, new PasswordResetPayload(
                    user.Id, id, user.Email, user.DisplayName, secrets.ProtectText(SecretKind.OutboxSecret, code), expiresAt,
                    CultureInfo.CurrentUICulture.Name), now);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.PasswordReset))
                {
                    // A concurrent request issued one at the same moment: that one's email goes out.
                    return;
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    public string NewToken(Domain.Accounts.PasswordReset reset) => _tokens.Protect(reset.UserId + "\n" + reset.Id);

    /// <summary>The account and issue a token names; null for anything this key ring did not make.</summary>
    public (string UserId, string ResetId)? ReadToken(string token)
    {
        try
        {
            var parts = _tokens.Unprotect(token).Split('\n');
            return parts.Length == 2 ? (parts[0], parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
