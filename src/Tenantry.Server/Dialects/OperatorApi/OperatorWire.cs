using System.Text.Json;
using Tenantry.Application.Operator;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.Shared.Json;

namespace Tenantry.Server.Dialects.OperatorApi;

public sealed class AdminUpdateWorkspaceRequest : PatchRequest
{
    public string? WorkspaceStatus { get; init; }
    public PolicyConfigRequest? PolicyConfig { get; init; }
    public JsonElement? PublicMetadata { get; init; }
    public JsonElement? PrivateMetadata { get; init; }
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
    public string? Slug { get; init; }
    public List<string?>? Segments { get; init; }
}

public sealed record AdminUpdateMemberRequest(string? Status);

public sealed class AdminUpdateUserRequest : PatchRequest
{
    public bool? EmailVerified { get; init; }
}

/// <summary><c>policyConfig</c> as the operator sees it: CONTRACT 5's fields and the invitation-transfer flag.</summary>
public sealed record AdminPolicyConfig(IReadOnlyList<string> IpAllowlist, bool EnforceMfa, bool AllowInvitationTransfer)
{
    public static AdminPolicyConfig? From(Domain.Policies.WorkspacePolicy? policy) =>
        policy is null ? null : new(policy.IpAllowlist, policy.EnforceMfa, policy.AllowInvitationTransfer);
}

/// <summary>
/// One event of an account's trail (its address verified or unverified, disabled, enabled, signed out, MFA reset).
/// <c>actor</c>: <c>user</c> (the account itself, <c>actorUserBizId</c> set) or <c>operator</c> (the operator API:
/// no user id, no client IP).
/// </summary>
public sealed record AdminAccountEvent(
    string EventBizId, string Action, string Actor, string? ActorUserBizId, string? ClientIp, JsonElement Details, DateTime CreatedAt)
{
    public static AdminAccountEvent From(AccountEventView e) =>
        new(e.EventId, e.Action, e.Actor, e.ActorUserId, e.ClientIp, RawJson.Parse(e.Details), e.CreatedAt);
}

public sealed class AdminUpdateInstitutionRequest : PatchRequest
{
    public string? Name { get; init; }
    public string? Slug { get; init; }
    public JsonElement? PublicMetadata { get; init; }
    public JsonElement? PrivateMetadata { get; init; }
    public bool? EnforceMfa { get; init; }
    public List<string?>? IpAllowlist { get; init; }
    public string? AutoAssignedWorkspaceBizId { get; init; }
}

public sealed record AdminWorkspaceResponse(
    string BizId,
    string InstitutionBizId,
    string? EntityBizId,
    string WorkspaceName,
    string WorkspaceTimezone,
    EnumRef WorkspaceStatus,
    EnumRef WorkspaceKind,
    string? ExtraData,
    string? Slug,
    string? Description,
    string? ImageUrl,
    JsonElement PublicMetadata,
    JsonElement PrivateMetadata,
    AdminPolicyConfig? PolicyConfig,
    int MemberCount,
    IReadOnlyList<string> Segments,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static AdminWorkspaceResponse From(AdminWorkspaceView v)
    {
        var d = v.Detail;
        return new(d.WorkspaceId, d.InstitutionId, d.ExternalEntityId, d.Name, d.Timezone, EnvelopeEnums.Ref(d.Status), EnvelopeEnums.Ref(d.Kind),
            d.ExtraData, v.Slug, v.Description, v.ImageUrl, RawJson.Parse(v.PublicMetadata), RawJson.Parse(v.PrivateMetadata),
            AdminPolicyConfig.From(v.Policy), v.MemberCount, v.Segments, d.CreatedAt, d.UpdatedAt);
    }
}

public sealed record AdminMembershipResponse(
    string WorkspaceBizId, string UserBizId, string WorkspaceRoleBizId, string JoinSource, string Status, bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminMembershipResponse From(AdminMembershipView v) =>
        new(v.WorkspaceId, v.UserId, v.RoleId, EnvelopeEnums.Code(v.JoinSource), EnvelopeEnums.Code(v.Status), v.IsDefault, v.CreatedAt, v.UpdatedAt);
}

public sealed record AdminInstitutionResponse(
    string InstitutionBizId, string Name, string? Slug, JsonElement PublicMetadata, JsonElement PrivateMetadata, bool EnforceMfa,
    IReadOnlyList<string> IpAllowlist, string? AutoAssignedWorkspaceBizId, int MemberCount, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminInstitutionResponse From(AdminInstitutionView v) =>
        new(v.InstitutionId, v.Name, v.Slug, RawJson.Parse(v.PublicMetadata), RawJson.Parse(v.PrivateMetadata), v.EnforceMfa,
            v.IpAllowlist, v.AutoAssignedWorkspaceId, v.MemberCount, v.CreatedAt, v.UpdatedAt);
}
