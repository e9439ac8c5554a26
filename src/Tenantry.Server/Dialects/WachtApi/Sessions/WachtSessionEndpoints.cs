using Tenantry.Application.Institutions.Switch;
using Tenantry.Application.Workspaces.Switch;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Sessions;

/// <summary>The session and its active organization and workspace (CONTRACT 6). Switches answer with the session, as Wacht does.</summary>
internal static class WachtSessionEndpoints
{
    public static void Map(RouteGroupBuilder wacht)
    {
        wacht.MapGet("/session", async (WachtSessions sessions, HttpContext http) =>
            {
                var session = await sessions.CurrentAsync(http);
                return WachtResults.Ok(session, session);
            })
            .WithSummary("The current session, its sign-in and the active organization and workspace memberships")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        wacht.MapPost("/session/switch-workspace", (SwitchWorkspaceHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, sessions, input => handler.HandleAsync(input["workspace_id"], http.Caller(), ct), answerWithSession: true))
            .WithSummary("Make a workspace the active one (the SYSTEM default workspace); no workspace_id clears it")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        wacht.MapPost("/session/switch-organization", (SwitchInstitutionHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, sessions, input => handler.HandleAsync(input["organization_id"], http.Caller(), ct), answerWithSession: true))
            .WithSummary("Make an organization the active one; no organization_id clears it")
            .Produces<WachtEnvelopeDoc<WachtSession>>();
    }
}
