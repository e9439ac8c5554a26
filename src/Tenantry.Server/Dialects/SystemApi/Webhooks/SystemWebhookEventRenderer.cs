using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using Tenantry.Application.Webhooks.Events;
using Tenantry.Domain.Audit;
using Tenantry.Server.Dialects.SystemApi.Enums;
using Tenantry.Server.Dialects.SystemApi.Invitations;
using Tenantry.Server.Dialects.SystemApi.Members;
using Tenantry.Server.Dialects.SystemApi.Roles;
using Tenantry.Server.Dialects.SystemApi.Workspaces;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.SystemApi.Webhooks;

/// <summary>
/// The SYSTEM dialect renders its own resources into webhook bodies, with the same wire records
/// its endpoints answer with. Labels are in English: a delivery has no request language.
/// </summary>
public sealed class SystemWebhookEventRenderer(SystemEnums enums, IStringLocalizer<Messages> messages) : IWebhookEventRenderer
{
    private static readonly CultureInfo s_english = CultureInfo.GetCultureInfo("en");

    public string Render(WebhookEventData e)
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = s_english;
            using var details = JsonDocument.Parse(string.IsNullOrWhiteSpace(e.Details) ? "{}" : e.Details);
            var data = new SystemWebhookEventData(
                // actorUserBizId names users only: absent when the operator API or the service itself acted.
                e.EventId, e.InstitutionId, e.WorkspaceId, e.ActorUserId == AuditActors.Operator ? null : e.ActorUserId, e.TargetType, e.TargetId, details.RootElement.Clone(),
                e.Workspace is null ? null : SystemWorkspaceDetail.From(e.Workspace),
                e.Member is null ? null : SystemMember.From(e.Member, enums),
                e.Role is null ? null : SystemRole.From(e.Role, messages),
                e.Invitation is null ? null : SystemInvitation.From(e.Invitation));
            return JsonSerializer.Serialize(new SystemWebhookPayload(e.Type, e.Timestamp, data), SystemJsonContext.Default.SystemWebhookPayload);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
