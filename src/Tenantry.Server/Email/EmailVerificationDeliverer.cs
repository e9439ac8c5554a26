using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Outbox;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Email;

/// <summary>
/// Turns a verification's outbox message into an email in the language of the request that asked
/// for it: the code, and the link (or the token itself when no link is configured). Not sent when
/// the verification it carries was replaced by a newer one, used, or the address was verified
/// meanwhile. The secrets are decrypted here, for the email only.
/// </summary>
public sealed class EmailVerificationDeliverer(
    TenantryDbContext db, IEmailSender sender, SecretsAtRest secrets, IStringLocalizer<Messages> messages, IOptions<EmailVerificationOptions> options)
    : IOutboxDeliverer
{
    public string Kind => OutboxKinds.EmailVerification;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = OutboxWriter.Read<EmailVerificationPayload>(message);
        var current = await db.EmailVerifications.AsNoTracking()
            .AnyAsync(v => v.UserId == payload.UserId && v.Id == payload.VerificationId, cancellationToken);
        if (!current)
        {
            return DeliveryOutcome.Obsolete;
        }
        var token = secrets.UnprotectText(SecretKind.OutboxSecret, payload.ProtectedToken);
        var code = secrets.UnprotectText(SecretKind.OutboxSecret, payload.ProtectedCode);
        await sender.SendAsync(Compose(payload, token, code), cancellationToken);
        return DeliveryOutcome.Sent;
    }

    public EmailMessage Compose(EmailVerificationPayload payload, string token, string code)
    {
        return EmailLanguage.Compose(payload.Language, () =>
        {
            var body = messages.Text("Email.Verification.Body", EmailLanguage.CodeArguments(payload.DisplayName, code, payload.ExpiresAt));
            body += "\n\n" + (options.Value.VerifyUrl is { Length: > 0 } url
                ? messages.Text("Email.Verification.Link", new Dictionary<string, object>
                {
                    ["url"] = url.Replace("{token}", Uri.EscapeDataString(token), StringComparison.Ordinal),
                })
                : messages.Text("Email.Verification.Token", new Dictionary<string, object> { ["token"] = token }));
            return new EmailMessage(payload.Email, messages.Text("Email.Verification.Subject"), body, $"email verification {payload.VerificationId}");
        });
    }
}
