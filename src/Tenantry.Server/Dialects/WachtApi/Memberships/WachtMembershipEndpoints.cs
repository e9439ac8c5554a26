using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Tenantry.Application.Institutions.Leave;
using Tenantry.Application.Institutions.ListMine;
using Tenantry.Application.Workspaces.Leave;
using Tenantry.Application.Workspaces.ListMemberships;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Memberships;

/// <summary>The caller's workspace and organization memberships, and leaving them (CONTRACT 6).</summary>
internal static class WachtMembershipEndpoints
{
    public static void Map(RouteGroupBuilder wacht)
    {
        wacht.MapGet("/me/workspace-memberships", async ([FromQuery(Name = "org_id")] string? organizationId, ListMyMembershipsHandler handler,
                WachtSessions sessions, KeptRenderings kept, WachtWireContext context, HttpContext http, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var memberships = await handler.HandleAsync(caller, organizationId, ct);
                // The serialized items are kept with the cached memberships for the next request with the same facts, language and filter.
                var key = new RenderKey("wacht", CultureInfo.CurrentUICulture.Name, organizationId, caller.ClientIp, caller.MfaVerified);
                var data = kept.GetOrRender(memberships, key, list =>
                    AnswerJson.Serialize(list.Select(m => WachtWorkspaceMembership.From(m, context)).ToList(), WachtJsonContext.Default.ListWachtWorkspaceMembership));
                return WachtResults.OkJson(data, await sessions.CurrentAsync(http));
            })
            .WithSummary("The caller's workspace memberships, optionally of one organization (org_id)")
            .Produces<WachtEnvelopeDoc<List<WachtWorkspaceMembership>>>();

        wacht.MapGet("/me/organization-memberships", async (ListMyInstitutionsHandler handler, WachtSessions sessions, WachtWireContext context,
                HttpContext http, CancellationToken ct) =>
            {
                var items = await handler.HandleAsync(http.Caller(), ct);
                return WachtResults.Ok(items.Select(m => WachtOrganizationMembership.From(m, context)).ToList(), await sessions.CurrentAsync(http));
            })
            .WithSummary("The caller's organization memberships")
            .Produces<WachtEnvelopeDoc<List<WachtOrganizationMembership>>>();

        wacht.MapPost("/workspaces/{id}/leave", (string id, LeaveWorkspaceHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, sessions, _ => handler.HandleAsync(id, http.Caller(), ct), answerWithSession: false))
            .WithSummary("Leave the workspace; its last owner cannot (403: transfer ownership first)")
            .Produces<WachtEnvelopeDoc<object>>();

        wacht.MapPost("/organizations/{id}/leave", (string id, LeaveInstitutionHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, sessions, _ => handler.HandleAsync(id, http.Caller(), ct), answerWithSession: false))
            .WithSummary("Leave the organization and its workspaces; whoever runs it, or owns one of its workspaces alone, cannot (403)")
            .Produces<WachtEnvelopeDoc<object>>();
    }
}
