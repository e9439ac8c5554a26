using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tenantry.Application.Organizations.Leave;
using Tenantry.Application.Organizations.ListMine;
using Tenantry.Application.Workspaces.Leave;
using Tenantry.Application.Workspaces.ListMemberships;
using Tenantry.Server.Hosting;
using Tenantry.Server.Json;
using Tenantry.Server.Localization;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Memberships;

/// <summary>The caller's workspace and organization memberships, and leaving them (CONTRACT 6).</summary>
internal static class WachtMembershipEndpoints
{
    public static void Map(RouteGroupBuilder wacht)
    {
        wacht.MapGet("/me/workspace-memberships", async ([FromQuery(Name = "org_id")] string? organizationId, ListMyMembershipsHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var memberships = await handler.HandleAsync(http.Caller(), organizationId, ct);
                // The serialized items are kept with the cached memberships for the next request with the same facts, language and filter.
                var data = memberships.Rendered($"wacht:{CultureInfo.CurrentUICulture.Name}:{organizationId}", list =>
                {
                    var context = WireContext(http);
                    return AnswerJson.Serialize(list.Select(m => WachtWorkspaceMembership.From(m, context)).ToList(), WachtJsonContext.Default.ListWachtWorkspaceMembership);
                });
                return WachtResults.OkJson(data);
            })
            .WithSummary("The caller's workspace memberships, optionally of one organization (org_id)")
            .Produces<WachtEnvelopeDoc<List<WachtWorkspaceMembership>>>();

        wacht.MapGet("/me/organization-memberships", async (ListMyOrganizationsHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var context = WireContext(http);
                var items = await handler.HandleAsync(http.Caller(), ct);
                return WachtResults.Ok(items.Select(m => WachtOrganizationMembership.From(m, context)).ToList());
            })
            .WithSummary("The caller's organization memberships")
            .Produces<WachtEnvelopeDoc<List<WachtOrganizationMembership>>>();

        wacht.MapPost("/workspaces/{id}/leave", (string id, LeaveWorkspaceHandler handler, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, _ => handler.HandleAsync(id, http.Caller(), ct), answerWithSession: false))
            .WithSummary("Leave the workspace; its last owner cannot (403: transfer ownership first)")
            .Produces<WachtEnvelopeDoc<object>>();

        wacht.MapPost("/organizations/{id}/leave", (string id, LeaveOrganizationHandler handler, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, _ => handler.HandleAsync(id, http.Caller(), ct), answerWithSession: false))
            .WithSummary("Leave the organization and its workspaces; whoever runs it, or owns one of its workspaces alone, cannot (403)")
            .Produces<WachtEnvelopeDoc<object>>();
    }

    private static WachtWireContext WireContext(HttpContext http) =>
        new(http.RequestServices.GetRequiredService<IOptions<TenantryOptions>>().Value.Wacht.DeploymentId,
            http.RequestServices.GetRequiredService<IStringLocalizer<Messages>>());
}
