using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.MyAccess;
using Tenantry.Domain.Policies;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Workspaces;

/// <summary>
/// The caller's standing in a workspace. <c>permissions</c> are those of the role; they count only
/// while <c>status</c> is <c>ACTIVE</c> and the workspace is <c>enterable</c> for this request.
/// <c>restriction</c> says why not (<c>NONE</c>, <c>WORKSPACE_SUSPENDED</c>, <c>MEMBERSHIP_INACTIVE</c>,
/// <c>MFA_REQUIRED</c>, <c>IP_NOT_ALLOWED</c>, <c>IP_AND_MFA_REQUIRED</c>: the reasons of <c>WORKSPACE.NOT_ENTERABLE</c>).
/// </summary>
public sealed record SystemWorkspaceAccess(
    string WorkspaceBizId, string UserBizId, string WorkspaceRoleBizId, bool IsOwner, string Status, IReadOnlyList<string> Permissions,
    bool Enterable, string Restriction)
{
    public static SystemWorkspaceAccess From(WorkspaceStanding s, EligibilityRestriction restriction, string userId) =>
        new(s.WorkspaceId, userId, s.RoleId, s.IsOwner, EnvelopeEnums.Code(s.Status), s.Permissions,
            restriction == EligibilityRestriction.None, EnvelopeErrors.ReasonCode(restriction));
}

/// <summary><c>GET /web/v1/workspaces/{workspaceBizId}/access/mine</c>: one call to decide any workspace permission.</summary>
internal static class AccessEndpoints
{
    public const string Version = "1.0.0";

    public static void Map(RouteGroupBuilder web) =>
        web.MapGet("/workspaces/{workspaceBizId}/access/mine", async (string workspaceBizId, GetMyAccessHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var caller = http.Caller();
                return SystemResults.From(await handler.HandleAsync(workspaceBizId, caller, ct), a => SystemWorkspaceAccess.From(a.Standing, a.Restriction, caller.UserId));
            })
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithApiVersion(Version)
            .WithTags("Workspaces")
            .WithSummary("The caller's role, ownership, membership status and permissions in the workspace, and whether it admits this request (any member; 4040 for anyone else)")
            .Produces<EnvelopeDoc<SystemWorkspaceAccess>>();
}
