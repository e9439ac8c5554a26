using Tenantry.Application.Workspaces.Leave;
using Tenantry.Application.Workspaces.SetDefault;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.SystemApi.Enums;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Workspaces;

/// <summary>The caller's own membership: make a workspace the default, or leave it (CONTRACT 5).</summary>
internal static class MembershipEndpoints
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapPost("/tenant/workspaces/{workspaceBizId}/default", async (string workspaceBizId, SetDefaultWorkspaceHandler handler, SystemEnums enums, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(workspaceBizId, http.Caller(), ct), item => SystemWorkspaceItem.From(item, enums)))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithApiVersion(WorkspaceEndpoints.ListVersion)
            .WithTags("Workspaces")
            .WithSummary("Make this workspace the caller's default (it must be defaultEligible)")
            .Produces<EnvelopeDoc<SystemWorkspaceItem>>();

        web.MapPost("/tenant/workspaces/{workspaceBizId}/leave", async (string workspaceBizId, LeaveWorkspaceHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(workspaceBizId, http.Caller(), ct)))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithTags("Workspaces")
            .WithSummary("Leave the workspace; the last owner cannot")
            .Produces<EnvelopeDoc<object>>();
    }
}
