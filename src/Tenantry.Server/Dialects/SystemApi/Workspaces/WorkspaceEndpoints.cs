using System.Globalization;
using Tenantry.Application.Workspaces.CreateSelf;
using Tenantry.Application.Workspaces.GetDetail;
using Tenantry.Application.Workspaces.ListMine;
using Tenantry.Application.Workspaces.Update;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Dialects.SystemApi.Enums;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Workspaces;

public sealed record CreateSelfWorkspaceRequest(string? WorkspaceName, string? WorkspaceKind, string? WorkspaceTimezone, string? InstitutionName);

public sealed class UpdateWorkspaceRequest : PatchRequest
{
    public string? WorkspaceName { get; init; }
    public string? WorkspaceTimezone { get; init; }
    public string? ExtraData { get; init; }
    public PolicyConfigRequest? PolicyConfig { get; init; }
}

/// <summary>The workspace endpoints of the foundation: list mine, self-create, read, update.</summary>
internal static class WorkspaceEndpoints
{
    public const string ListVersion = "2.0.0";

    public static void Map(RouteGroupBuilder web)
    {
        // Both path families are part of the contract; neither is an alias to be retired.
        foreach (var path in new[] { "/system/workspaces/mine", "/tenant/workspaces/mine" })
        {
            web.MapGet(path, ListMine)
                .RequireAuthorization(WorkspacePolicies.SystemSession)
                .WithApiVersion(ListVersion)
                .WithTags("Workspaces")
                .WithSummary("The workspaces the caller belongs to")
                .Produces<EnvelopeDoc<List<SystemWorkspaceItem>>>();
        }

        web.MapPost("/workspaces/self", async (CreateSelfWorkspaceRequest body, CreateSelfWorkspaceHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(
                    await handler.HandleAsync(new CreateSelfWorkspaceCommand(body.WorkspaceName, body.WorkspaceKind, body.WorkspaceTimezone, body.InstitutionName), http.Caller(), ct),
                    SystemWorkspaceDetail.From))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithApiVersion(SystemWorkspaceDetail.Version)
            .WithTags("Workspaces")
            .WithSummary("Create the caller's own workspace (one per user)")
            .Produces<EnvelopeDoc<SystemWorkspaceDetail>>();

        web.MapGet("/workspaces/{workspaceBizId}", async (string workspaceBizId, GetWorkspaceHandler handler, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(workspaceBizId, ct), SystemWorkspaceDetail.From))
            .RequireWorkspacePermission(Permissions.WorkspaceRead)
            .WithApiVersion(SystemWorkspaceDetail.Version)
            .WithTags("Workspaces")
            .WithSummary("One workspace (members only)")
            .Produces<EnvelopeDoc<SystemWorkspaceDetail>>();

        web.MapPatch("/workspaces/{workspaceBizId}", async (string workspaceBizId, UpdateWorkspaceRequest body, UpdateWorkspaceHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(http.Standing(), ToCommand(body), http.Caller(), ct), SystemWorkspaceDetail.From))
            .RequireWorkspacePermission(Permissions.WorkspaceUpdate)
            .WithApiVersion(SystemWorkspaceDetail.Version)
            .WithTags("Workspaces")
            .WithSummary("Change name, time zone, extraData or policyConfig (policyConfig also needs policies.manage)")
            .Produces<EnvelopeDoc<SystemWorkspaceDetail>>();
    }

    private static async Task<IResult> ListMine(ListMyWorkspacesHandler handler, SystemEnums enums, KeptRenderings kept, HttpContext http, CancellationToken ct)
    {
        var caller = http.Caller();
        var workspaces = await handler.HandleAsync(caller, ct);
        // The serialized items are kept with the cached list for the next request with the same facts and language.
        var data = kept.GetOrRender(workspaces, new RenderKey("system", CultureInfo.CurrentUICulture.Name, null, caller.ClientIp, caller.MfaVerified), list =>
        {
            var items = new List<SystemWorkspaceItem>(list.Count);
            foreach (var workspace in list)
            {
                items.Add(SystemWorkspaceItem.From(workspace, enums));
            }
            return AnswerJson.Serialize(items, SystemJsonContext.Default.ListSystemWorkspaceItem);
        });
        return SystemResults.OkJson(data);
    }

    private static UpdateWorkspaceCommand ToCommand(UpdateWorkspaceRequest body) => new(
        body.Field(nameof(body.WorkspaceName), body.WorkspaceName),
        body.Field(nameof(body.WorkspaceTimezone), body.WorkspaceTimezone),
        body.Field(nameof(body.ExtraData), body.ExtraData),
        body.Field(nameof(body.PolicyConfig), body.PolicyConfig?.ToInput()));
}
