using System.Text.Json;
using Tenantry.Application.Operator;
using Tenantry.Server.Json;
using Tenantry.Server.Dialects.SystemApi;
using Tenantry.Server.Dialects.SystemApi.Enums;
using Tenantry.Server.Dialects.SystemApi.Workspaces;

namespace Tenantry.Server.Operator;

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
    SystemEnumRef WorkspaceStatus,
    SystemEnumRef WorkspaceKind,
    string? ExtraData,
    string? Slug,
    string? Description,
    string? ImageUrl,
    JsonElement PublicMetadata,
    JsonElement PrivateMetadata,
    SystemPolicyConfig? PolicyConfig,
    int MemberCount,
    IReadOnlyList<string> Segments,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static AdminWorkspaceResponse From(AdminWorkspaceView v)
    {
        var d = SystemWorkspaceDetail.From(v.Detail);
        return new(d.BizId, d.InstitutionBizId, d.EntityBizId, d.WorkspaceName, d.WorkspaceTimezone, d.WorkspaceStatus, d.WorkspaceKind,
            d.ExtraData, v.Slug, v.Description, v.ImageUrl, RawJson.Parse(v.PublicMetadata), RawJson.Parse(v.PrivateMetadata),
            PolicyWire.From(v.Policy), v.MemberCount, v.Segments, d.CreatedAt, d.UpdatedAt);
    }
}

public sealed record AdminMembershipResponse(
    string WorkspaceBizId, string UserBizId, string WorkspaceRoleBizId, string JoinSource, string Status, bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminMembershipResponse From(AdminMembershipView v) =>
        new(v.WorkspaceId, v.UserId, v.RoleId, SystemEnums.Code(v.JoinSource), SystemEnums.Code(v.Status), v.IsDefault, v.CreatedAt, v.UpdatedAt);
}

public sealed record AdminInstitutionResponse(
    string InstitutionBizId, string Name, string? Slug, JsonElement PublicMetadata, JsonElement PrivateMetadata, bool EnforceMfa,
    IReadOnlyList<string> IpAllowlist, string? AutoAssignedWorkspaceBizId, int MemberCount, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminInstitutionResponse From(AdminInstitutionView v) =>
        new(v.InstitutionId, v.Name, v.Slug, RawJson.Parse(v.PublicMetadata), RawJson.Parse(v.PrivateMetadata), v.EnforceMfa,
            v.IpAllowlist, v.AutoAssignedWorkspaceId, v.MemberCount, v.CreatedAt, v.UpdatedAt);
}

public static class RawJson
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A metadata value of a request as the JSON text the use case validates; JSON null means "reset".</summary>
    public static string? Text(JsonElement? value) => value is { ValueKind: not JsonValueKind.Null } element ? element.GetRawText() : null;
}
