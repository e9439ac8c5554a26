using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tenantry.Application.Invitations;
using Tenantry.Application.Outbox;
using Tenantry.Data;
using Tenantry.Data.Outbox;
using Tenantry.Domain.Invitations;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Email;

/// <summary>
/// Turns an invitation's outbox message into an email in the inviter's language and sends it.
/// An invitation that is no longer pending (revoked, answered, replaced) is not emailed.
/// </summary>
public sealed class InvitationEmailDeliverer(
    TenantryDbContext db, IEmailSender sender, IStringLocalizer<Messages> messages, IOptions<InvitationOptions> options) : IOutboxDeliverer
{
    public string Kind => OutboxKinds.InvitationEmail;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = OutboxWriter.Read<InvitationEmailPayload>(message);
        var pending = await db.Invitations.AnyAsync(i => i.Id == payload.InvitationId && i.Status == InvitationStatus.Pending, cancellationToken);
        if (!pending)
        {
            return DeliveryOutcome.Obsolete;
        }
        await sender.SendAsync(Compose(payload), cancellationToken);
        return DeliveryOutcome.Sent;
    }

    public EmailMessage Compose(InvitationEmailPayload payload)
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(string.IsNullOrEmpty(payload.Language) ? "en" : payload.Language);
            var arguments = new Dictionary<string, object>
            {
                ["workspace"] = payload.WorkspaceName,
                ["inviter"] = payload.InviterName,
                ["role"] = payload.RoleName,
                ["expiresAt"] = payload.ExpiresAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            };
            var body = messages.Text("Email.Invitation.Body", arguments);
            if (options.Value.AcceptUrl is { Length: > 0 } url)
            {
                body += "\n\n" + messages.Text("Email.Invitation.Link", new Dictionary<string, object>
                {
                    ["url"] = url.Replace("{invitationId}", Uri.EscapeDataString(payload.InvitationId), StringComparison.Ordinal),
                });
            }
            return new EmailMessage(payload.Email, messages.Text("Email.Invitation.Subject", arguments), body, $"invitation {payload.InvitationId}");
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
