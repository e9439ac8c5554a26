using System.Text.Json;
using Tenantry.Application.Operator;
using Tenantry.Application.Operator.Audit;
using Tenantry.Application.Operator.Directory;
using Tenantry.Application.Operator.SigningKeys;
using Tenantry.Domain.Accounts;
using Tenantry.Server.Dialects.Envelope;

namespace Tenantry.Server.Dialects.OperatorApi;

/// <summary>
/// An account: <c>status</c> is <c>ACTIVE</c> or <c>DISABLED</c>; whether its address is verified (and since when),
/// whether it has an authenticator; counts of live sessions and workspace memberships.
/// </summary>
public sealed record AdminUserResponse(
    string UserBizId, string Email, string DisplayName, string Status, bool EmailVerified, DateTime? EmailVerifiedAt, bool MfaEnabled,
    int ActiveSessions, int WorkspaceCount, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminUserResponse From(AdminUserView v) =>
        new(v.UserId, v.Email, v.DisplayName, v.Status == UserStatus.Disabled ? "DISABLED" : "ACTIVE", v.EmailVerified, v.EmailVerifiedAt,
            v.MfaEnabled, v.ActiveSessions, v.WorkspaceCount, v.CreatedAt, v.UpdatedAt);
}

/// <summary>A member of a workspace with their account: <c>userStatus</c> is the account's, <c>status</c> the membership's.</summary>
public sealed record AdminMemberResponse(
    string UserBizId, string Email, string DisplayName, string UserStatus, string WorkspaceRoleBizId, string WorkspaceRoleName,
    string JoinSource, string Status, bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminMemberResponse From(AdminMemberView v) =>
        new(v.UserId, v.Email, v.DisplayName, v.UserStatus == Domain.Accounts.UserStatus.Disabled ? "DISABLED" : "ACTIVE", v.RoleId, v.RoleName,
            EnvelopeEnums.Code(v.JoinSource), EnvelopeEnums.Code(v.Status), v.IsDefault, v.CreatedAt, v.UpdatedAt);
}

/// <summary>
/// One audit event of any institution. <c>institutionBizId</c> is null for events about no tenant
/// (signing keys); <c>actorUserBizId</c> is <c>"operator"</c> for changes made through this API and a
/// user id otherwise. Changes to accounts are in the account's events (<c>GET /admin/v1/users/{id}/events</c>).
/// </summary>
public sealed record AdminAuditEventResponse(
    string EventBizId, string? InstitutionBizId, string? WorkspaceBizId, string Action, string? ActorUserBizId, string? TargetType,
    string? TargetBizId, string? ClientIp, JsonElement Details, DateTime CreatedAt)
{
    public static AdminAuditEventResponse From(OperatorAuditEventView v)
    {
        var e = v.Event;
        using var details = JsonDocument.Parse(e.Details);
        return new(e.EventId, v.InstitutionId, v.WorkspaceId, e.Action, e.ActorUserId, e.TargetType, e.TargetId, e.ClientIp,
            details.RootElement.Clone(), e.CreatedAt);
    }
}

/// <summary>A signing key: <c>state</c> is <c>PUBLISHED</c> (in the JWKS, not signing yet), <c>SIGNING</c> or <c>RETIRED</c> (verifying only).</summary>
public sealed record AdminSigningKeyResponse(
    string Kid, string Algorithm, string State, DateTime CreatedAt, DateTime ActivatesAt, DateTime RetiresAt, DateTime ExpiresAt)
{
    public static AdminSigningKeyResponse From(SigningKeyView v) =>
        new(v.Kid, v.Algorithm, v.State.ToString().ToUpperInvariant(), v.CreatedAt, v.ActivatesAt, v.RetiresAt, v.ExpiresAt);

    public static List<AdminSigningKeyResponse> FromAll(List<SigningKeyView> keys) => keys.Select(From).ToList();
}

/// <summary>An institution suspended or resumed, with how many of its workspaces changed status.</summary>
public sealed record AdminInstitutionSuspensionResponse(AdminInstitutionResponse Institution, int WorkspacesChanged, int Workspaces)
{
    public static AdminInstitutionSuspensionResponse From(InstitutionSuspensionView v) =>
        new(AdminInstitutionResponse.From(v.Institution), v.WorkspacesChanged, v.Workspaces);
}
