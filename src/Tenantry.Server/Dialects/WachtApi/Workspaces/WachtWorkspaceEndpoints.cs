using Microsoft.AspNetCore.Mvc;
using Tenantry.Application.Common;
using Tenantry.Application.Members;
using Tenantry.Application.Members.ChangeRole;
using Tenantry.Application.Members.List;
using Tenantry.Application.Members.Locate;
using Tenantry.Application.Members.Remove;
using Tenantry.Application.Members.RemoveRole;
using Tenantry.Application.Roles.Create;
using Tenantry.Application.Roles.Delete;
using Tenantry.Application.Roles.List;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.CreateSelf;
using Tenantry.Application.Workspaces.GetDetail;
using Tenantry.Application.Workspaces.ListMemberships;
using Tenantry.Application.Workspaces.Policies;
using Tenantry.Application.Workspaces.Update;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Workspaces;

/// <summary>
/// Managing a workspace as Wacht's <c>useWorkspaceList</c>/<c>useActiveWorkspace</c> and its manage-workspace screens do:
/// create, update, members (paged list, remove, role add and remove) and roles (list, create, delete), over the SYSTEM
/// dialect's use cases. Each route checks the caller's standing in the workspace with the SYSTEM permission for the same
/// action: a non-member gets 404, a member without the permission 403.
/// </summary>
internal static class WachtWorkspaceEndpoints
{
    private static readonly string[] s_roleLists = ["permissions"];
    private static readonly string[] s_updateLists = ["whitelisted_ips"];

    public static void Map(RouteGroupBuilder wacht)
    {
        wacht.MapPost("/workspaces", (CreateSelfWorkspaceHandler handler, ListMyMembershipsHandler memberships, WachtSessions sessions,
                WachtWireContext context, HttpContext http, CancellationToken ct) =>
                WachtManagement.MutationAsync<WachtCreatedWorkspace>(http, sessions, [], async input =>
                {
                    if (input["organization_id"] is not { Length: > 0 } organizationId)
                    {
                        return new ValidationFailed(new FieldError("organization_id", ValidationCodes.Required));
                    }
                    if (WachtManagement.Unsupported(input, "description") is { } unsupported)
                    {
                        return unsupported;
                    }
                    var created = await handler.HandleAsync(
                        new CreateSelfWorkspaceCommand(input["name"], null, null, null, InstitutionId: organizationId), http.Caller(), ct);
                    if (!created.IsSuccess)
                    {
                        return created.Error!;
                    }
                    var membership = (await memberships.HandleAsync(http.Caller(), organizationId, ct)).First(m => m.Workspace.Id == created.Value.WorkspaceId);
                    return new WachtCreatedWorkspace(
                        WachtWorkspace.From(membership.Workspace, membership.Institution, context), WachtWorkspaceMembership.From(membership, context));
                }))
            .WithSummary("Create the caller's own workspace in the organization they own (one self-created workspace per user: 409 after that)")
            .Produces<WachtEnvelopeDoc<WachtCreatedWorkspace>>();

        wacht.MapPost("/workspaces/{id}/update", ([FromRoute(Name = "id")] string workspaceId, WorkspaceAccess access, UpdateWorkspaceHandler handler,
                GetWorkspaceHandler workspaces, ListMyMembershipsHandler memberships, WachtSessions sessions, WachtWireContext context,
                HttpContext http, CancellationToken ct) =>
                WachtManagement.InWorkspaceAsync<WachtWorkspace>(http, sessions, access, workspaceId, Permissions.WorkspaceUpdate, s_updateLists, async (standing, input) =>
                {
                    if (WachtManagement.Unsupported(input, "description") is { } unsupported)
                    {
                        return unsupported;
                    }
                    var policy = await PolicyOfAsync(input, workspaceId, workspaces, ct);
                    if (!policy.IsSuccess)
                    {
                        return policy.Error!;
                    }
                    var name = input["name"] is { } given ? new Optional<string?>(true, given) : Optional<string?>.Absent;
                    var updated = await handler.HandleAsync(standing, new UpdateWorkspaceCommand(
                        name, Optional<string?>.Absent, Optional<string?>.Absent, policy.Value), http.Caller(), ct);
                    if (!updated.IsSuccess)
                    {
                        return updated.Error!;
                    }
                    var membership = (await memberships.HandleAsync(http.Caller(), standing.InstitutionId, ct)).First(m => m.Workspace.Id == workspaceId);
                    return WachtWorkspace.From(membership.Workspace, membership.Institution, context);
                }))
            .WithSummary("Rename the workspace (workspace.update) or set its policy: enforce_2fa, enable_ip_restriction, whitelisted_ips (policies.manage)")
            .Produces<WachtEnvelopeDoc<WachtWorkspace>>();

        wacht.MapGet("/workspaces/{id}/members", async ([FromRoute(Name = "id")] string workspaceId, WorkspaceAccess access, ListMembersHandler handler,
                ListRolesHandler roles, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
            {
                var standing = await access.CheckAsync(workspaceId, http.Caller(), Permissions.MembersRead, ct);
                if (!standing.IsSuccess)
                {
                    return WachtResults.Error(standing.Error!);
                }
                var page = WachtManagement.Page(http.Request.Query);
                if (!page.IsSuccess)
                {
                    return WachtResults.Error(page.Error!);
                }
                var members = await handler.HandleAsync(workspaceId, page.Value, http.Request.Query["search"].ToString(), ct);
                var roleViews = await roles.HandleAsync(workspaceId, ct);
                var data = new WachtPage<WachtWorkspaceMember>(
                    [.. members.Items.Select(m => WachtWorkspaceMember.From(m, workspaceId, roleViews))],
                    new WachtPageMeta(members.Total, page.Value.Page, page.Value.PageSize));
                return WachtResults.Ok(data, await sessions.CurrentAsync(http));
            })
            .WithSummary("The members in the order they joined (members.read); page, limit and search (email or name) as the SDK sends them")
            .Produces<WachtEnvelopeDoc<WachtPage<WachtWorkspaceMember>>>();

        wacht.MapPost("/workspaces/{id}/members/{membershipId}/remove", ([FromRoute(Name = "id")] string workspaceId, string membershipId, WorkspaceAccess access,
                LocateMembershipHandler locate, RemoveMemberHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtManagement.InWorkspaceAsync<object?>(http, sessions, access, workspaceId, Permissions.MembersRemove, [], (standing, _) =>
                    OfMemberAsync(locate, workspaceId, membershipId, ct, async userId =>
                    {
                        var removed = await handler.HandleAsync(standing, userId, http.Caller(), ct);
                        return removed.IsSuccess ? Result<object?>.Success(null) : removed.Error!;
                    })))
            .WithSummary("Remove a member (members.remove); not one whose role is beyond the caller's, nor the last owner (403)")
            .Produces<WachtEnvelopeDoc<object>>();

        wacht.MapPost("/workspaces/{id}/members/{membershipId}/roles/{roleId}/add", ([FromRoute(Name = "id")] string workspaceId, string membershipId, string roleId,
                WorkspaceAccess access, LocateMembershipHandler locate, ChangeMemberRoleHandler handler, ListRolesHandler roles, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
                WachtManagement.InWorkspaceAsync<WachtWorkspaceMember>(http, sessions, access, workspaceId, Permissions.MembersRoleChange, [], (standing, _) =>
                    // One role per membership: adding a role gives it in place of the one held, by the same use case as SYSTEM's role change.
                    OfMemberAsync(locate, workspaceId, membershipId, ct, async userId => await MemberAsync(
                        await handler.HandleAsync(standing, new ChangeMemberRoleCommand(userId, roleId), http.Caller(), ct), workspaceId, roles, ct))))
            .WithSummary("Give a member this role in place of the one they hold (members.role.change; grantor and last-owner rules as in SYSTEM)")
            .Produces<WachtEnvelopeDoc<WachtWorkspaceMember>>();

        wacht.MapPost("/workspaces/{id}/members/{membershipId}/roles/{roleId}/remove", ([FromRoute(Name = "id")] string workspaceId, string membershipId, string roleId,
                WorkspaceAccess access, LocateMembershipHandler locate, RemoveMemberRoleHandler handler, ListRolesHandler roles, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
                WachtManagement.InWorkspaceAsync<WachtWorkspaceMember>(http, sessions, access, workspaceId, Permissions.MembersRoleChange, [], (standing, _) =>
                    OfMemberAsync(locate, workspaceId, membershipId, ct, async userId => await MemberAsync(
                        await handler.HandleAsync(standing, userId, roleId, http.Caller(), ct), workspaceId, roles, ct))))
            .WithSummary("Take the member's role away: they get the workspace's Member role (which itself cannot be taken away: 409)")
            .Produces<WachtEnvelopeDoc<WachtWorkspaceMember>>();

        wacht.MapGet("/workspaces/{id}/roles", async ([FromRoute(Name = "id")] string workspaceId, WorkspaceAccess access, ListRolesHandler roles, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
            {
                var standing = await access.CheckAsync(workspaceId, http.Caller(), Permissions.WorkspaceRead, ct);
                return standing.IsSuccess
                    ? WachtResults.Ok((await roles.HandleAsync(workspaceId, ct)).Select(WachtRoles.From).ToList(), await sessions.CurrentAsync(http))
                    : WachtResults.Error(standing.Error!);
            })
            .WithSummary("The workspace's roles: Owner, Member, then custom roles (workspace.read)")
            .Produces<WachtEnvelopeDoc<List<WachtRole>>>();

        wacht.MapPost("/workspaces/{id}/roles", ([FromRoute(Name = "id")] string workspaceId, WorkspaceAccess access, CreateRoleHandler handler, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
                WachtManagement.InWorkspaceAsync<WachtRole>(http, sessions, access, workspaceId, Permissions.RolesManage, s_roleLists, async (standing, input) =>
                {
                    var created = await handler.HandleAsync(standing, new CreateRoleCommand(input["name"], null, input.Values("permissions") ?? []), http.Caller(), ct);
                    return created.IsSuccess ? WachtRoles.From(created.Value) : created.Error!;
                }))
            .WithSummary("Create a custom role: name and permissions (one form field per permission), within the caller's own permissions (roles.manage)")
            .Produces<WachtEnvelopeDoc<WachtRole>>();

        wacht.MapPost("/workspaces/{id}/roles/{roleId}/delete", ([FromRoute(Name = "id")] string workspaceId, string roleId, WorkspaceAccess access, DeleteRoleHandler handler,
                WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtManagement.InWorkspaceAsync<object?>(http, sessions, access, workspaceId, Permissions.RolesManage, [], async (standing, _) =>
                {
                    var deleted = await handler.HandleAsync(standing, roleId, http.Caller(), ct);
                    return deleted.IsSuccess ? Result<object?>.Success(null) : deleted.Error!;
                }))
            .WithSummary("Delete a custom role no member holds (roles.manage); built-in roles cannot be deleted (409)")
            .Produces<WachtEnvelopeDoc<object>>();

        // Tenantry does not delete workspaces (their members, audit trail and webhooks stay with them): the owner's answer says so.
        wacht.MapPost("/workspaces/{id}/delete", async ([FromRoute(Name = "id")] string workspaceId, WorkspaceAccess access, HttpContext http,
                CancellationToken ct) =>
            {
                var standing = await access.CheckAsync(workspaceId, http.Caller(), Permissions.WorkspaceUpdate, ct);
                return standing.IsSuccess ? WachtErrors.ChangeUnavailable : WachtResults.Error(standing.Error!);
            })
            .WithSummary("Not a change Tenantry makes: 400 (Wacht.ChangeUnavailable) for members with workspace.update, 403 for other members, 404 for anyone else")
            .Produces<WachtEnvelopeDoc<object>>();
    }

    /// <summary>Runs <paramref name="act"/> for the member a Wacht membership id names in the workspace; not found when it names none.</summary>
    private static async Task<Result<T>> OfMemberAsync<T>(
        LocateMembershipHandler locate, string workspaceId, string membershipId, CancellationToken ct, Func<string, Task<Result<T>>> act) =>
        await locate.HandleAsync(workspaceId, membershipId, ct) is { } userId ? await act(userId) : new NotFound();

    /// <summary>The member after a role change, with their role's permissions.</summary>
    private static async Task<Result<WachtWorkspaceMember>> MemberAsync(Result<MemberView> changed, string workspaceId, ListRolesHandler roles, CancellationToken ct) =>
        changed.IsSuccess ? WachtWorkspaceMember.From(changed.Value, workspaceId, await roles.HandleAsync(workspaceId, ct)) : changed.Error!;

    /// <summary>
    /// The policy the update sets, or null when the form names none of its fields. Wacht's fields each change one part;
    /// Tenantry replaces the whole policy, so the parts not named keep their current values.
    /// </summary>
    private static async Task<Result<Optional<PolicyInput?>>> PolicyOfAsync(
        WachtInput input, string workspaceId, GetWorkspaceHandler workspaces, CancellationToken ct)
    {
        var ips = input.Values("whitelisted_ips");
        if (input["enforce_2fa"] is null && input["enable_ip_restriction"] is null && ips is null)
        {
            return Optional<PolicyInput?>.Absent;
        }
        var enforceMfa = WachtManagement.Flag(input, "enforce_2fa");
        var restrictIps = WachtManagement.Flag(input, "enable_ip_restriction");
        if (!enforceMfa.IsSuccess || !restrictIps.IsSuccess)
        {
            return (enforceMfa.Error ?? restrictIps.Error)!;
        }
        var current = (await workspaces.HandleAsync(workspaceId, ct)).Value.Policy;
        var allowlist = ips ?? (IReadOnlyList<string?>?)current?.IpAllowlist ?? [];
        // Addresses given without the switch turn the restriction on, so that they are checked and kept, never dropped.
        var restrict = restrictIps.Value ?? (ips is not null ? ips.Count > 0 : current is { IpAllowlist.Count: > 0 });
        if (restrict && allowlist.Count == 0)
        {
            return new ValidationFailed(new FieldError("whitelisted_ips", ValidationCodes.Required));
        }
        return new Optional<PolicyInput?>(true, new PolicyInput(
            restrict ? allowlist : [], enforceMfa.Value ?? current?.EnforceMfa ?? false, current?.AllowInvitationTransfer ?? false));
    }
}
