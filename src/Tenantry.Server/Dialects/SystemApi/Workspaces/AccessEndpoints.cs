using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.MyAccess;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Workspaces;

/// <summary>
/// The caller's standing in a workspace. <c>permissions</c> are those of the role; they count only
/// while <c>status</c> is <c>ACTIVE</c>.
/// </summary>
public sealed record SystemWorkspaceAccess(
    string WorkspaceBizId, string UserBizId, string WorkspaceRoleBizId, bool IsOwner, string Status, IReadOnlyList<string> Permissions)
{
    public static SystemWorkspaceAccess From(WorkspaceStanding s, string userId) =>
        new(s.WorkspaceId, userId, s.RoleId, s.IsOwner, EnvelopeEnums.Code(s.Status), s.Permissions);
}

/// <summary><c>GET /web/v1/workspaces/{workspaceBizId}/access/mine</c>: one call to decide any workspace permission.</summary>
internal static class AccessEndpoints
{
    public const string Version = "1.0.0";

    public static void Map(RouteGroupBuilder web) =>
        web.MapGet("/workspaces/{workspaceBizId}/access/mine", async (string workspaceBizId, GetMyAccessHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var caller = http.Caller();
                return SystemResults.From(await handler.HandleAsync(workspaceBizId, caller, ct), s => SystemWorkspaceAccess.From(s, caller.UserId));
            })
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithApiVersion(Version)
            .WithTags("Workspaces")
            .WithSummary("The caller's role, ownership, membership status and permissions in the workspace (any member; 4040 for anyone else)")
            .Produces<EnvelopeDoc<SystemWorkspaceAccess>>();
}
