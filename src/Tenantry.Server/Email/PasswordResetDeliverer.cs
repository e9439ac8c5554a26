using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Outbox;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Email;

/// <summary>
/// Turns a password reset's outbox message into an email with the code, in the language of the request that asked for it.
/// Not sent when the reset was replaced by a newer one, used or expired meanwhile. The code is decrypted here, for the email only.
/// </summary>
public sealed class PasswordResetDeliverer(TenantryDbContext db, IEmailSender sender, SecretsAtRest secrets, IStringLocalizer<Messages> messages)
    : IOutboxDeliverer
{
    public string Kind => OutboxKinds.PasswordReset;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = OutboxWriter.Read<PasswordResetPayload>(message);
        var current = await db.PasswordResets.AsNoTracking()
            .AnyAsync(r => r.UserId == payload.UserId && r.Id == payload.ResetId && r.VerifiedAt == null, cancellationToken);
        if (!current)
        {
            return DeliveryOutcome.Obsolete;
        }
        var code = secrets.UnprotectText(SecretKind.OutboxSecret, payload.ProtectedCode);
        await sender.SendAsync(Compose(payload, code), cancellationToken);
        return DeliveryOutcome.Sent;
    }

    public EmailMessage Compose(PasswordResetPayload payload, string code)
    {
        return EmailLanguage.Compose(payload.Language, () =>
        {
            var body = messages.Text("Email.PasswordReset.Body", EmailLanguage.CodeArguments(payload.DisplayName, code, payload.ExpiresAt));
            return new EmailMessage(payload.Email, messages.Text("Email.PasswordReset.Subject"), body, $"password reset {payload.ResetId}");
        });
    }
}
