using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tenantry.Application.Invitations;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Outbox;
using Tenantry.Domain.Invitations;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Email;

/// <summary>
/// Turns an invitation's outbox message into an email in the inviter's language and sends it.
/// An invitation that is no longer pending (revoked, answered, replaced), or whose token a resend
/// replaced before this email went out, is not emailed. The token is decrypted here, for the
/// email only.
/// </summary>
public sealed class InvitationEmailDeliverer(
    TenantryDbContext db, IEmailSender sender, SecretsAtRest secrets, IStringLocalizer<Messages> messages, IOptions<InvitationOptions> options)
    : IOutboxDeliverer
{
    public string Kind => OutboxKinds.InvitationEmail;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = OutboxWriter.Read<InvitationEmailPayload>(message);
        var invitation = await db.Invitations.AsNoTracking()
            .Where(i => i.Id == payload.InvitationId && i.Status == InvitationStatus.Pending)
            .Select(i => new { i.TokenHash }).FirstOrDefaultAsync(cancellationToken);
        if (invitation is null)
        {
            return DeliveryOutcome.Obsolete;
        }
        var token = payload.ProtectedToken is { } stored ? secrets.UnprotectText(SecretKind.OutboxSecret, stored) : null;
        if (token is not null && invitation.TokenHash is { } current && !Application.Accounts.Tokens.TokenHashing.HashEquals(current, token))
        {
            // A resend gave the invitation a new token (and queued its own email).
            return DeliveryOutcome.Obsolete;
        }
        await sender.SendAsync(Compose(payload, token), cancellationToken);
        return DeliveryOutcome.Sent;
    }

    /// <summary>
    /// The email: who invites to what, then the accept link with <c>{invitationId}</c> and <c>{token}</c> filled
    /// in; when the configured link has no <c>{token}</c>, or there is no link, the invitation id and token as text,
    /// so that any client can accept with them.
    /// </summary>
    public EmailMessage Compose(InvitationEmailPayload payload, string? token)
    {
        return EmailLanguage.Compose(payload.Language, () =>
        {
            var arguments = new Dictionary<string, object>
            {
                ["workspace"] = payload.WorkspaceName,
                ["inviter"] = payload.InviterName,
                ["role"] = payload.RoleName,
                ["expiresAt"] = payload.ExpiresAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            };
            var body = messages.Text("Email.Invitation.Body", arguments);
            var url = options.Value.AcceptUrl;
            if (url is { Length: > 0 })
            {
                var link = url.Replace("{invitationId}", Uri.EscapeDataString(payload.InvitationId), StringComparison.Ordinal);
                if (token is not null)
                {
                    link = link.Replace("{token}", Uri.EscapeDataString(token), StringComparison.Ordinal);
                }
                body += "\n\n" + messages.Text("Email.Invitation.Link", new Dictionary<string, object> { ["url"] = link });
            }
            if (token is not null && (url is not { Length: > 0 } || !url.Contains("{token}", StringComparison.Ordinal)))
            {
                body += "\n\n" + messages.Text("Email.Invitation.Token", new Dictionary<string, object>
                {
                    ["invitationId"] = payload.InvitationId,
                    ["token"] = token,
                });
            }
            return new EmailMessage(payload.Email, messages.Text("Email.Invitation.Subject", arguments), body, $"invitation {payload.InvitationId}");
        });
    }
}
