using System.Text.Json;
using System.Text.Json.Serialization;
using Tenantry.Server.Dialects.SystemApi.Audit;
using Tenantry.Server.Dialects.SystemApi.Auth;
using Tenantry.Server.Dialects.SystemApi.Invitations;
using Tenantry.Server.Dialects.SystemApi.Members;
using Tenantry.Server.Dialects.SystemApi.Roles;
using Tenantry.Server.Dialects.SystemApi.Enums;
using Tenantry.Server.Dialects.SystemApi.SecureChannel;
using Tenantry.Server.Dialects.SystemApi.Webhooks;
using Tenantry.Server.Dialects.SystemApi.Workspaces;
using Tenantry.Server.Dialects.Shared.Json;

namespace Tenantry.Server.Dialects.SystemApi;

/// <summary>Source-generated serializers for everything the SYSTEM dialect writes: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    Converters = [typeof(UtcTimestampJsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<SystemWorkspaceItem>))]
[JsonSerializable(typeof(SystemWorkspaceItem))]
[JsonSerializable(typeof(SystemWorkspaceAccess))]
[JsonSerializable(typeof(SystemWorkspaceDetail))]
[JsonSerializable(typeof(SystemAuthTokens))]
[JsonSerializable(typeof(SystemMfaChallenge))]
[JsonSerializable(typeof(SystemTotpEnrolment))]
[JsonSerializable(typeof(SystemRecoveryCodes))]
[JsonSerializable(typeof(SystemMfaStatus))]
[JsonSerializable(typeof(SystemStepUp))]
[JsonSerializable(typeof(SystemAccount))]
[JsonSerializable(typeof(SystemVerificationSent))]
[JsonSerializable(typeof(SystemSecureChannel))]
[JsonSerializable(typeof(Dictionary<string, List<SystemEnumValue>>))]
[JsonSerializable(typeof(List<SystemRole>))]
[JsonSerializable(typeof(SystemRole))]
[JsonSerializable(typeof(List<SystemPermission>))]
[JsonSerializable(typeof(SystemInvitation))]
[JsonSerializable(typeof(List<SystemInvitation>))]
[JsonSerializable(typeof(List<SystemMyInvitation>))]
[JsonSerializable(typeof(SystemMember))]
[JsonSerializable(typeof(List<SystemMember>))]
[JsonSerializable(typeof(List<SystemAuditEvent>))]
[JsonSerializable(typeof(SystemWebhookEndpoint))]
[JsonSerializable(typeof(List<SystemWebhookEndpoint>))]
[JsonSerializable(typeof(SystemWebhookDelivery))]
[JsonSerializable(typeof(List<SystemWebhookDelivery>))]
[JsonSerializable(typeof(SystemReplayedDeliveries))]
[JsonSerializable(typeof(SystemWebhookPayload))]
[JsonSerializable(typeof(object))]
internal sealed partial class SystemJsonContext : JsonSerializerContext;
