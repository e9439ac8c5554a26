using System.Text.Json;
using System.Text.Json.Serialization;
using Tenantry.Server.Dialects.Shared.Json;

namespace Tenantry.Server.Dialects.OperatorApi;

/// <summary>Source-generated serializers for everything the operator API writes.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    Converters = [typeof(UtcTimestampJsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AdminWorkspaceResponse))]
[JsonSerializable(typeof(AdminMembershipResponse))]
[JsonSerializable(typeof(AdminInstitutionResponse))]
[JsonSerializable(typeof(AdminUserResponse))]
[JsonSerializable(typeof(List<AdminUserResponse>))]
[JsonSerializable(typeof(List<AdminInstitutionResponse>))]
[JsonSerializable(typeof(List<AdminWorkspaceResponse>))]
[JsonSerializable(typeof(List<AdminMemberResponse>))]
[JsonSerializable(typeof(List<AdminAuditEventResponse>))]
[JsonSerializable(typeof(List<AdminSigningKeyResponse>))]
[JsonSerializable(typeof(AdminInstitutionSuspensionResponse))]
[JsonSerializable(typeof(List<AdminAccountEvent>))]
[JsonSerializable(typeof(AdminWebhookEndpoint))]
[JsonSerializable(typeof(List<AdminWebhookEndpoint>))]
[JsonSerializable(typeof(AdminWebhookDelivery))]
[JsonSerializable(typeof(List<AdminWebhookDelivery>))]
[JsonSerializable(typeof(AdminReplayedDeliveries))]
[JsonSerializable(typeof(object))]
internal sealed partial class OperatorJsonContext : JsonSerializerContext;
