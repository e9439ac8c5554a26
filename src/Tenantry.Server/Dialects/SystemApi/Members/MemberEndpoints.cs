using Tenantry.Application.Members;
using Tenantry.Application.Members.ChangeRole;
using Tenantry.Application.Members.List;
using Tenantry.Application.Members.Remove;
using Tenantry.Application.Members.TransferOwnership;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.SystemApi.Enums;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Members;

/// <summary>One member of a workspace: CONTRACT 5's fields; joinSource and status are list-item enums.</summary>
public sealed record SystemMember(
    string UserBizId, string Email, string DisplayName, string WorkspaceRoleBizId, string WorkspaceRoleName, bool IsOwner,
    SystemEnumValue JoinSource, SystemEnumValue Status, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static SystemMember From(MemberView m, SystemEnums enums) =>
        new(m.UserId, m.Email, m.DisplayName, m.RoleId, m.RoleName, m.IsOwner, enums.Value(m.JoinSource), enums.Value(m.Status), m.CreatedAt, m.UpdatedAt);
}

public sealed record ChangeMemberRoleRequest(string? UserBizId, string? RoleBizId);

public sealed record TransferOwnershipRequest(string? UserBizId);

/// <summary>The members of a workspace: list, change role, remove, and ownership transfer.</summary>
internal static class MemberEndpoints
{
    public const string Version = "1.0.0";

    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/workspaces/{workspaceId}/members", (string workspaceId, int? page, int? pageSize, ListMembersHandler handler, SystemEnums enums, HttpContext http, CancellationToken ct) =>
                SystemPaging.ListAsync(http, page, pageSize, request => handler.HandleAsync(workspaceId, request, ct), m => SystemMember.From(m, enums)))
            .RequireWorkspacePermission(Permissions.MembersRead)
            .Describe("The members, in the order they joined (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<SystemMember>>>();

        web.MapPost("/workspaces/{workspaceId}/members/role/change", async (string workspaceId, ChangeMemberRoleRequest body, ChangeMemberRoleHandler handler, SystemEnums enums, HttpContext http, CancellationToken ct) =>
                SystemResults.From(
                    await handler.HandleAsync(http.Standing(), new ChangeMemberRoleCommand(body.UserBizId, body.RoleBizId), http.Caller(), ct),
                    m => SystemMember.From(m, enums)))
            .RequireWorkspacePermission(Permissions.MembersRoleChange)
            .Describe("Give a member another role (the last owner cannot be demoted)")
            .Produces<EnvelopeDoc<SystemMember>>();

        web.MapDelete("/workspaces/{workspaceId}/members/{userBizId}", async (string workspaceId, string userBizId, RemoveMemberHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(http.Standing(), userBizId, http.Caller(), ct)))
            .RequireWorkspacePermission(Permissions.MembersRemove)
            .Describe("Remove a member (the last owner cannot be removed)")
            .Produces<EnvelopeDoc<object>>();

        web.MapPost("/workspaces/{workspaceBizId}/owner/transfer", async (string workspaceBizId, TransferOwnershipRequest body, TransferOwnershipHandler handler, SystemEnums enums, HttpContext http, CancellationToken ct) =>
                SystemResults.From(
                    await handler.HandleAsync(http.Standing(), new TransferOwnershipCommand(body.UserBizId), http.Caller(), ct),
                    m => SystemMember.From(m, enums)))
            .RequireWorkspaceOwner()
            .Describe("An owner makes another active member Owner and becomes Member; answers the new owner")
            .Produces<EnvelopeDoc<SystemMember>>();
    }

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string summary) =>
        builder.WithApiVersion(Version).WithTags("Members").WithSummary(summary);
}
