using Microsoft.Extensions.Localization;
using Tenantry.Application.Roles;
using Tenantry.Application.Roles.Create;
using Tenantry.Application.Roles.Delete;
using Tenantry.Application.Roles.List;
using Tenantry.Application.Roles.Update;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Localization;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Roles;

/// <summary>A workspace role (CONTRACT 5). Built-in roles' descriptions are localized.</summary>
public sealed record SystemRole(
    string RoleBizId, string RoleName, string? Description, bool BuiltIn, IReadOnlyList<string> Permissions, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static SystemRole From(RoleView r, IStringLocalizer<Messages> messages) =>
        new(r.RoleId, r.Name, r.BuiltIn is { } builtIn ? messages[$"Role.{builtIn}.Description"] : r.Description, r.BuiltIn is not null,
            r.Permissions, r.CreatedAt, r.UpdatedAt);
}

/// <summary>One entry of the permission catalogue, with its localized description.</summary>
public sealed record SystemPermission(string Permission, string Description);

public sealed record CreateRoleRequest(string? RoleName, string? Description, List<string?>? Permissions);

public sealed class UpdateRoleRequest : PatchRequest
{
    public string? RoleName { get; init; }
    public string? Description { get; init; }
    public List<string?>? Permissions { get; init; }
}

/// <summary>Roles of a workspace and the permission catalogue custom roles choose from.</summary>
internal static class RoleEndpoints
{
    public const string Version = "1.0.0";

    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/system/permissions", (IStringLocalizer<Messages> messages) =>
                SystemResults.Ok(Permissions.All.Select(p => new SystemPermission(p, messages["Permission." + p])).ToList()))
            .WithApiVersion(Version)
            .WithTags("Roles")
            .WithSummary("The permission catalogue custom roles choose from, with localized descriptions")
            .Produces<EnvelopeDoc<List<SystemPermission>>>();

        web.MapGet("/workspaces/{workspaceId}/roles", async (string workspaceId, ListRolesHandler handler, IStringLocalizer<Messages> messages, CancellationToken ct) =>
                SystemResults.Ok((await handler.HandleAsync(workspaceId, ct)).Select(r => SystemRole.From(r, messages)).ToList()))
            .RequireWorkspacePermission(Permissions.WorkspaceRead)
            .WithApiVersion(Version)
            .WithTags("Roles")
            .WithSummary("The roles of the workspace: Owner, Member, then custom roles")
            .Produces<EnvelopeDoc<List<SystemRole>>>();

        web.MapPost("/workspaces/{workspaceId}/roles", async (string workspaceId, CreateRoleRequest body, CreateRoleHandler handler, IStringLocalizer<Messages> messages, HttpContext http, CancellationToken ct) =>
                SystemResults.From(
                    await handler.HandleAsync(http.Standing(), new CreateRoleCommand(body.RoleName, body.Description, body.Permissions), http.Caller(), ct),
                    r => SystemRole.From(r, messages)))
            .RequireWorkspacePermission(Permissions.RolesManage)
            .WithApiVersion(Version)
            .WithTags("Roles")
            .WithSummary("Create a custom role (name unique in the workspace, case-insensitively)")
            .Produces<EnvelopeDoc<SystemRole>>();

        web.MapPatch("/workspaces/{workspaceId}/roles/{roleBizId}", async (string workspaceId, string roleBizId, UpdateRoleRequest body, UpdateRoleHandler handler, IStringLocalizer<Messages> messages, HttpContext http, CancellationToken ct) =>
                SystemResults.From(
                    await handler.HandleAsync(http.Standing(), roleBizId, new UpdateRoleCommand(
                        body.Field(nameof(body.RoleName), body.RoleName),
                        body.Field(nameof(body.Description), body.Description),
                        body.Field<IReadOnlyList<string?>?>(nameof(body.Permissions), body.Permissions)), http.Caller(), ct),
                    r => SystemRole.From(r, messages)))
            .RequireWorkspacePermission(Permissions.RolesManage)
            .WithApiVersion(Version)
            .WithTags("Roles")
            .WithSummary("Rename a custom role or change its description or permissions")
            .Produces<EnvelopeDoc<SystemRole>>();

        web.MapDelete("/workspaces/{workspaceId}/roles/{roleBizId}", async (string workspaceId, string roleBizId, DeleteRoleHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(http.Standing(), roleBizId, http.Caller(), ct)))
            .RequireWorkspacePermission(Permissions.RolesManage)
            .WithApiVersion(Version)
            .WithTags("Roles")
            .WithSummary("Delete a custom role that no member holds")
            .Produces<EnvelopeDoc<object>>();
    }
}
