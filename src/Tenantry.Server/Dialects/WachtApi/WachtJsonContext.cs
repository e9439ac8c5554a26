using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Dialects.WachtApi.Auth;
using Tenantry.Server.Dialects.WachtApi.Deployment;
using Tenantry.Server.Dialects.WachtApi.AccountSecurity;
using Tenantry.Server.Dialects.WachtApi.Sessions;
using Tenantry.Server.Dialects.WachtApi.Users;
using Tenantry.Server.Dialects.WachtApi.Organizations;
using Tenantry.Server.Dialects.WachtApi.Workspaces;

namespace Tenantry.Server.Dialects.WachtApi;

/// <summary>Source-generated serializers for everything the Wacht dialect writes, in snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(UtcTimestampJsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<WachtWorkspaceMembership>))]
[JsonSerializable(typeof(List<WachtOrganizationMembership>))]
[JsonSerializable(typeof(WachtSession))]
[JsonSerializable(typeof(WachtDeployment))]
[JsonSerializable(typeof(WachtInvitationValidation))]
[JsonSerializable(typeof(WachtUser))]
[JsonSerializable(typeof(List<WachtSignIn>))]
[JsonSerializable(typeof(WachtSessionToken))]
[JsonSerializable(typeof(WachtCreatedWorkspace))]
[JsonSerializable(typeof(WachtWorkspace))]
[JsonSerializable(typeof(WachtPage<WachtWorkspaceMember>))]
[JsonSerializable(typeof(WachtWorkspaceMember))]
[JsonSerializable(typeof(WachtRole))]
[JsonSerializable(typeof(List<WachtRole>))]
[JsonSerializable(typeof(WachtCreatedOrganization))]
[JsonSerializable(typeof(List<WachtOrganizationRole>))]
[JsonSerializable(typeof(WachtOrganizationInvitation))]
[JsonSerializable(typeof(List<WachtOrganizationInvitation>))]
[JsonSerializable(typeof(WachtAcceptedInvitation))]
[JsonSerializable(typeof(WachtPage<WachtOrganizationMember>))]
[JsonSerializable(typeof(WachtIdentifyResult))]
[JsonSerializable(typeof(WachtVerificationPrepared))]
[JsonSerializable(typeof(WachtNothing))]
[JsonSerializable(typeof(WachtPasswordResetToken))]
[JsonSerializable(typeof(CapChallengeAnswer))]
[JsonSerializable(typeof(CapRedeemAnswer))]
[JsonSerializable(typeof(WachtAuthenticatorEnrolment))]
[JsonSerializable(typeof(WachtAuthenticatorVerified))]
[JsonSerializable(typeof(WachtEmailAddress))]
[JsonSerializable(typeof(List<WachtEmailAddress>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(object))]
internal sealed partial class WachtJsonContext : JsonSerializerContext
{
    public static JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>?)Default.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered in {nameof(WachtJsonContext)}.");
}
