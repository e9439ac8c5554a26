using Tenantry.Application.Workspaces;
using Tenantry.Application.Workspaces.ListMine;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.SystemApi.Enums;

namespace Tenantry.Server.Dialects.SystemApi.Workspaces;

/// <summary>One item of <c>workspaces/mine</c>: exactly the fields of seed 000, in its order.</summary>
public sealed record SystemWorkspaceItem(
    string UserBizId,
    string WorkspaceBizId,
    string WorkspaceName,
    SystemEnumValue WorkspaceKind,
    string InstitutionBizId,
    string WorkspaceRoleBizId,
    string WorkspaceRoleName,
    SystemEnumValue JoinSource,
    bool IsOwner,
    bool IsDefault,
    bool Enterable,
    bool DefaultEligible,
    PolicyConfig? PolicyConfig,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static SystemWorkspaceItem From(MyWorkspace w, SystemEnums enums) =>
        new(w.UserId, w.WorkspaceId, w.WorkspaceName, enums.Value(w.Kind), w.InstitutionId, w.RoleId, w.RoleName,
            enums.Value(w.JoinSource), w.IsOwner, w.IsDefault, w.Eligibility.Enterable, w.Eligibility.DefaultEligible,
            PolicyConfig.From(w.Policy), w.CreatedAt, w.UpdatedAt);
}

/// <summary>The workspace detail: exactly the fields of seed 001.</summary>
public sealed record SystemWorkspaceDetail(
    string BizId,
    string InstitutionBizId,
    string? EntityBizId,
    string WorkspaceName,
    string WorkspaceTimezone,
    EnumRef WorkspaceStatus,
    EnumRef WorkspaceKind,
    string? ExtraData,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public const string Version = "1.3.0";

    public static SystemWorkspaceDetail From(WorkspaceDetail w) =>
        new(w.WorkspaceId, w.InstitutionId, w.ExternalEntityId, w.Name, w.Timezone, EnvelopeEnums.Ref(w.Status), EnvelopeEnums.Ref(w.Kind),
            w.ExtraData, w.CreatedAt, w.UpdatedAt);
}
