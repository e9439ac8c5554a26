using Tenantry.Application.Common;
using Tenantry.Application.Institutions.ChangeMemberRole;
using Tenantry.Application.Institutions.ListMine;
using Tenantry.Application.Institutions.Members;
using Tenantry.Application.Institutions.RemoveMember;
using Tenantry.Application.Institutions.Update;
using Tenantry.Application.Invitations;
using Tenantry.Application.Invitations.Accept;
using Tenantry.Application.Invitations.CheckToken;
using Tenantry.Application.Invitations.Create;
using Tenantry.Application.Invitations.ListPending;
using Tenantry.Application.Invitations.ListInstitutionPending;
using Tenantry.Application.Invitations.Locate;
using Tenantry.Application.Invitations.Resend;
using Tenantry.Application.Invitations.Revoke;
using Tenantry.Application.Roles.List;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.CreateSelf;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Dialects.WachtApi.Workspaces;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Organizations;

/// <summary>
/// Organizations (Tenantry institutions) as Wacht's <c>useOrganizationList</c> and invitation hooks manage them: creation,
/// the fixed organization roles, and invitations. A Tenantry invitation is always to a workspace, so the organization's
/// invitation routes act on the invitations of the workspace they name (or the invitation belongs to), with the SYSTEM
/// dialect's use cases and permission (<c>members.invite</c> in that workspace); the workspace must be the organization's.
/// </summary>
internal static class WachtOrganizationEndpoints
{
    /// <summary>
    /// What the SDK's organization screens change that Tenantry's domain does not: organizations are not deleted (their
    /// workspaces' members, audit trail and webhooks stay with them), and organization roles are the fixed Owner, Admin and
    /// Member (the rules of who runs an organization are decided on those three; custom ones would need their own permissions).
    /// </summary>
    private static readonly string[] s_unavailableChanges =
    [
        "/organizations/{organizationId}/delete",
        "/organizations/{organizationId}/roles",
        "/organizations/{organizationId}/roles/{roleId}/remove",
    ];

    private static readonly string[] s_updateLists = ["whitelisted_ips"];

    public static void Map(RouteGroupBuilder wacht)
    {
        foreach (var path in s_unavailableChanges)
        {
            wacht.MapPost(path, UnavailableChangeAsync)
                .WithSummary("Not a change Tenantry makes: 400 (Wacht.ChangeUnavailable) for those who run the organization, 403 for its other " +
                    "members, 404 for anyone else")
                .Produces<WachtEnvelopeDoc<object>>();
        }

        wacht.MapPost("/organizations", (CreateSelfWorkspaceHandler handler, ListMyInstitutionsHandler organizations, WachtSessions sessions,
                WachtWireContext context, HttpContext http, CancellationToken ct) =>
                WachtManagement.MutationAsync<WachtCreatedOrganization>(http, sessions, [], async input =>
                {
                    if (WachtManagement.Unsupported(input, "description") is { } unsupported)
                    {
                        return unsupported;
                    }
                    // An organization starts with its first workspace, of the same name: Tenantry's one self-created workspace per user.
                    var name = input["name"];
                    var created = await handler.HandleAsync(new CreateSelfWorkspaceCommand(name, null, null, name, NewInstitution: true), http.Caller(), ct);
                    if (!created.IsSuccess)
                    {
                        return created.Error!;
                    }
                    var membership = (await organizations.HandleAsync(http.Caller(), ct)).First(m => m.Institution.Id == created.Value.InstitutionId);
                    return new WachtCreatedOrganization(WachtOrganization.From(membership.Institution, context), WachtOrganizationMembership.From(membership, context));
                }))
            .WithSummary("Create an organization with its first workspace (same name), owned by the caller: once per user (409 after that)")
            .Produces<WachtEnvelopeDoc<WachtCreatedOrganization>>();

        wacht.MapGet("/organizations/{organizationId}/roles", async (string organizationId, ListMyInstitutionsHandler organizations, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
            {
                var organization = await OrganizationAsync(organizations, organizationId, http, ct);
                if (!organization.IsSuccess)
                {
                    return WachtResults.Error(organization.Error!);
                }
                var institution = organization.Value.Institution;
                var roles = new[] { InstitutionRole.Owner, InstitutionRole.Admin, InstitutionRole.Member }
                    .Select(r => WachtOrganizationRole.From(r, institution.Id, institution.CreatedAt)).ToList();
                return WachtResults.Ok(roles, await sessions.CurrentAsync(http));
            })
            .WithSummary("The organization's roles: Owner, Admin and Member, fixed (any member may read them)")
            .Produces<WachtEnvelopeDoc<List<WachtOrganizationRole>>>();

        wacht.MapGet("/organizations/{organizationId}/members", async (string organizationId, ListMyInstitutionsHandler organizations,
                ListInstitutionMembersHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
            {
                var page = WachtManagement.Page(http.Request.Query);
                if (!page.IsSuccess)
                {
                    return WachtResults.Error(page.Error!);
                }
                var organization = await OrganizationAsync(organizations, organizationId, http, ct);
                var members = organization.IsSuccess
                    ? await handler.HandleAsync(organizationId, page.Value, http.Request.Query["search"].ToString(), http.Caller(), ct)
                    : organization.Error!;
                if (!members.IsSuccess)
                {
                    return WachtResults.Error(members.Error!);
                }
                var data = new WachtPage<WachtOrganizationMember>(
                    [.. members.Value.Items.Select(m => WachtOrganizationMember.From(m, organization.Value))],
                    new WachtPageMeta(members.Value.Total, page.Value.Page, page.Value.PageSize));
                return WachtResults.Ok(data, await sessions.CurrentAsync(http));
            })
            .WithSummary("The organization's members in the order they joined, with their organization role, for its owners and admins; page, limit, search")
            .Produces<WachtEnvelopeDoc<WachtPage<WachtOrganizationMember>>>();

        wacht.MapPost("/organizations/{organizationId}/update", (string organizationId, UpdateInstitutionHandler handler, ListMyInstitutionsHandler organizations,
                WachtSessions sessions, WachtWireContext context, HttpContext http, CancellationToken ct) =>
                WachtManagement.MutationAsync<WachtOrganization>(http, sessions, s_updateLists, async input =>
                {
                    // Standing first: someone outside the organization learns nothing from what their form holds.
                    var organization = await OrganizationAsync(organizations, organizationId, http, ct);
                    if (!organization.IsSuccess)
                    {
                        return organization.Error!;
                    }
                    if (http.Request.HasFormContentType && http.Request.Form.Files.Count > 0)
                    {
                        // Tenantry keeps an image's address, not image files.
                        return new ValidationFailed(new FieldError("image", ValidationCodes.UnknownValue));
                    }
                    var policies = PoliciesOf(input);
                    if (!policies.IsSuccess)
                    {
                        return policies.Error!;
                    }
                    var (enforceMfa, allowlist) = policies.Value;
                    var updated = await handler.HandleAsync(organizationId, new UpdateInstitutionCommand(
                        Present(input, "name"), Present(input, "description"), enforceMfa, allowlist,
                        // The SDK's form sends "0" for no auto-assigned workspace.
                        input["auto_assigned_workspace_id"] is "0" ? "" : input["auto_assigned_workspace_id"]), http.Caller(), ct);
                    return updated.IsSuccess ? WachtOrganization.From(updated.Value, context) : updated.Error!;
                }))
            .WithSummary("Rename the organization or change its description (its Owners and Admins). Its policies (enforce_mfa, enable_ip_restriction, " +
                "whitelisted_ips, auto_assigned_workspace_id) are the operator's: accepted only unchanged, else 400 naming the field")
            .Produces<WachtEnvelopeDoc<WachtOrganization>>();

        wacht.MapPost("/organizations/{organizationId}/members/{membershipId}/remove", (string organizationId, string membershipId,
                RemoveInstitutionMemberHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtManagement.MutationAsync<object?>(http, sessions, [], async _ =>
                {
                    var removed = await handler.HandleAsync(organizationId, membershipId, http.Caller(), ct);
                    return removed.IsSuccess ? Result<object?>.Success(null) : removed.Error!;
                }))
            .WithSummary("Remove a member from the organization and from all of its workspaces (Owners; Admins, not an Owner); refused for the last " +
                "owner of one of its workspaces (409, naming it). Removing yourself is leaving, with leaving's rules (the last owner: 403)")
            .Produces<WachtEnvelopeDoc<object>>();

        MapRoleChange(wacht, "add", "Give the member this organization role in place of the one they hold (Owners; Admins between Member and Admin, " +
            "not for an Owner); the organization keeps an Owner (409)");
        MapRoleChange(wacht, "remove", "Take the member's Owner or Admin role away: they become Member (400 for a role they do not hold; the Member " +
            "role itself cannot be taken away: 409); the organization keeps an Owner (409)");

        wacht.MapGet("/organizations/{organizationId}/invitations", async (string organizationId, ListMyInstitutionsHandler organizations,
                WorkspaceAccess access, ListPendingInvitationsHandler handler, ListInstitutionPendingInvitationsHandler allWorkspaces, TimeProvider clock,
                WachtSessions sessions, HttpContext http, CancellationToken ct) =>
            {
                var organization = await OrganizationAsync(organizations, organizationId, http, ct);
                if (!organization.IsSuccess)
                {
                    return WachtResults.Error(organization.Error!);
                }
                var workspaceId = http.Request.Query["workspace_id"];
                if (workspaceId.Count > 1)
                {
                    return WachtResults.Error(new ValidationFailed(new FieldError("workspace_id", ValidationCodes.InvalidId)));
                }
                var now = clock.GetUtcNow().UtcDateTime;
                if (string.IsNullOrEmpty(workspaceId.ToString()))
                {
                    var all = await allWorkspaces.HandleAsync(organizationId, new PageRequest(1, PageRequest.MaxPageSize), http.Caller(), ct);
                    return all.IsSuccess
                        ? WachtResults.Ok(all.Value.Items.Select(i => WachtOrganizationInvitation.From(i, organization.Value, now)).ToList(), await sessions.CurrentAsync(http))
                        : WachtResults.Error(all.Error!);
                }
                var standing = await InOrganizationAsync(access, organizationId, workspaceId.ToString(), http, ct);
                if (!standing.IsSuccess)
                {
                    return WachtResults.Error(standing.Error!);
                }
                var pending = await handler.HandleAsync(standing.Value.WorkspaceId, new PageRequest(1, PageRequest.MaxPageSize), ct);
                return WachtResults.Ok(pending.Items.Select(i => WachtOrganizationInvitation.From(i, organization.Value, now)).ToList(), await sessions.CurrentAsync(http));
            })
            .WithSummary("The pending invitations to one of the organization's workspaces (workspace_id; members.invite there), or without workspace_id " +
                "to all of its workspaces the caller may see (every one for its Owners and Admins, else those where they hold members.invite); newest first, at most 200")
            .Produces<WachtEnvelopeDoc<List<WachtOrganizationInvitation>>>();

        wacht.MapPost("/organizations/{organizationId}/invitations", (string organizationId, ListMyInstitutionsHandler organizations, WorkspaceAccess access,
                ListRolesHandler roles, CreateInvitationHandler handler, TimeProvider clock, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtManagement.MutationAsync<WachtOrganizationInvitation>(http, sessions, [], async input =>
                {
                    var organization = await OrganizationAsync(organizations, organizationId, http, ct);
                    if (!organization.IsSuccess)
                    {
                        return organization.Error!;
                    }
                    if (input["workspace_id"] is not { Length: > 0 } workspaceId)
                    {
                        return new ValidationFailed(new FieldError("workspace_id", ValidationCodes.Required));
                    }
                    if (input["role_id"] is { Length: > 0 } organizationRole && organizationRole != WachtOrganizationRole.OrganizationMemberId)
                    {
                        // An invitation makes the invitee a member of the organization; its other roles are not given by invitation.
                        return new ValidationFailed(new FieldError("role_id", ValidationCodes.UnknownValue));
                    }
                    var standing = await InOrganizationAsync(access, organizationId, workspaceId, http, ct);
                    if (!standing.IsSuccess)
                    {
                        return standing.Error!;
                    }
                    var roleId = input["workspace_role_id"] is { Length: > 0 } given
                        ? given
                        : (await roles.HandleAsync(workspaceId, ct)).First(r => r.BuiltIn == BuiltInRole.Member).RoleId;
                    var created = await handler.HandleAsync(standing.Value, new CreateInvitationCommand(input["email"], roleId), http.Caller(), ct);
                    return created.IsSuccess ? WachtOrganizationInvitation.From(created.Value, organization.Value, clock.GetUtcNow().UtcDateTime) : created.Error!;
                }))
            .RequireRateLimiting(RateLimitPolicies.Invitations)
            .WithSummary("Invite an email address to one of the organization's workspaces (workspace_id) in workspace_role_id (default: Member), " +
                "within the inviter's permissions (members.invite)")
            .Produces<WachtEnvelopeDoc<WachtOrganizationInvitation>>();

        MapInvitationChange(wacht, "discard", "Withdraw a pending invitation (members.invite in its workspace)",
            (http, standing, invitationId) => http.RequestServices.GetRequiredService<RevokeInvitationHandler>().HandleAsync(standing, invitationId, http.Caller(), http.RequestAborted));

        MapInvitationChange(wacht, "resend", "Send a pending invitation again, with a new token and expiry (members.invite in its workspace)",
            (http, standing, invitationId) => http.RequestServices.GetRequiredService<ResendInvitationHandler>().HandleAsync(standing, invitationId, http.Caller(), http.RequestAborted))
            .RequireRateLimiting(RateLimitPolicies.Invitations);

        wacht.MapPost("/organizations/invitations/accept", (CheckInvitationTokenHandler check, AcceptInvitationHandler handler,
                ListMyInstitutionsHandler organizations, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtManagement.MutationAsync<WachtAcceptedInvitation>(http, sessions, [], async input =>
                {
                    if (input["token"] is not { Length: > 0 } token)
                    {
                        return new ValidationFailed(new FieldError("token", ValidationCodes.Required));
                    }
                    var invitation = await check.HandleAsync(token, ct);
                    if (!invitation.Valid)
                    {
                        return new NotFound();
                    }
                    var accepted = await handler.HandleAsync(invitation.InvitationId!, token, http.Caller(), ct);
                    if (!accepted.IsSuccess)
                    {
                        return accepted.Error!;
                    }
                    var organization = (await organizations.HandleAsync(http.Caller(), ct)).First(m => m.Institution.Id == accepted.Value.InstitutionId);
                    return new WachtAcceptedInvitation(new WachtNamed(organization.Institution.Id, organization.Institution.Name),
                        new WachtNamed(accepted.Value.WorkspaceId, accepted.Value.WorkspaceName), http.Caller().SessionId, AlreadyMember: false);
                }))
            .WithSummary("Accept the invitation of an email's token, with the same rules as SYSTEM's accept (the invited address, or the workspace's transfer policy)")
            .Produces<WachtEnvelopeDoc<WachtAcceptedInvitation>>();
    }

    /// <remarks>Not generic over the handler: the compile-time request delegate generator skips generic endpoints.</remarks>
    private static RouteHandlerBuilder MapInvitationChange(
        RouteGroupBuilder wacht, string action, string summary,
        Func<HttpContext, WorkspaceStanding, string, Task<Result<InvitationView>>> change) =>
        wacht.MapPost($"/organizations/{{organizationId}}/invitations/{{invitationId}}/{action}", (string organizationId, string invitationId,
                ListMyInstitutionsHandler organizations, LocateInvitationHandler locate, WorkspaceAccess access, TimeProvider clock,
                WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtManagement.MutationAsync<WachtOrganizationInvitation>(http, sessions, [], async _ =>
                {
                    var organization = await OrganizationAsync(organizations, organizationId, http, ct);
                    if (!organization.IsSuccess)
                    {
                        return organization.Error!;
                    }
                    if (await locate.HandleAsync(invitationId, ct) is not { } workspaceId)
                    {
                        return new NotFound();
                    }
                    var standing = await InOrganizationAsync(access, organizationId, workspaceId, http, ct);
                    if (!standing.IsSuccess)
                    {
                        return standing.Error!;
                    }
                    var changed = await change(http, standing.Value, invitationId);
                    return changed.IsSuccess ? WachtOrganizationInvitation.From(changed.Value, organization.Value, clock.GetUtcNow().UtcDateTime) : changed.Error!;
                }))
            .WithSummary(summary)
            .Produces<WachtEnvelopeDoc<WachtOrganizationInvitation>>();

    private static void MapRoleChange(RouteGroupBuilder wacht, string action, string summary) =>
        wacht.MapPost($"/organizations/{{organizationId}}/members/{{membershipId}}/roles/{{roleId}}/{action}", (string organizationId, string membershipId,
                string roleId, ChangeInstitutionMemberRoleHandler handler, ListMyInstitutionsHandler organizations, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
                WachtManagement.MutationAsync<WachtOrganizationMember>(http, sessions, [], async _ =>
                {
                    var organization = await OrganizationAsync(organizations, organizationId, http, ct);
                    if (!organization.IsSuccess)
                    {
                        return organization.Error!;
                    }
                    if (WachtOrganizationRole.Parse(roleId) is not { } role)
                    {
                        return new NotFound();
                    }
                    var changed = await handler.HandleAsync(organizationId, membershipId, new InstitutionRoleChange(role, TakeAway: action == "remove"), http.Caller(), ct);
                    return changed.IsSuccess ? WachtOrganizationMember.From(changed.Value, organization.Value) : changed.Error!;
                }))
            .WithSummary(summary)
            .Produces<WachtEnvelopeDoc<WachtOrganizationMember>>();

    /// <summary>A field the form sent (even empty), or absent.</summary>
    private static Optional<string?> Present(WachtInput input, string name) =>
        input[name] is { } value ? new Optional<string?>(true, value) : Optional<string?>.Absent;

    /// <summary>
    /// The organization policies the form names, as the update compares them with what the organization has: enforce_mfa, and the IP
    /// allow-list from whitelisted_ips and enable_ip_restriction (off: no restriction, whatever addresses come with it).
    /// </summary>
    private static Result<(bool? EnforceMfa, IReadOnlyList<string?>? Allowlist)> PoliciesOf(WachtInput input)
    {
        var enforceMfa = WachtManagement.Flag(input, "enforce_mfa");
        var restrictIps = WachtManagement.Flag(input, "enable_ip_restriction");
        if (!enforceMfa.IsSuccess || !restrictIps.IsSuccess)
        {
            return (enforceMfa.Error ?? restrictIps.Error)!;
        }
        var ips = input.Values("whitelisted_ips");
        if (restrictIps.Value == true && ips is not { Count: > 0 })
        {
            // A restriction with no addresses is no allow-list the organization could have.
            return new InstitutionPolicyIsOperators(InstitutionPolicy.IpAllowlist);
        }
        (bool? EnforceMfa, IReadOnlyList<string?>? Allowlist) policies = (enforceMfa.Value, restrictIps.Value == false ? [] : ips);
        return policies;
    }

    /// <summary>Standing first, as on the served routes: only those who run the organization learn that the change is not made.</summary>
    private static async Task<IResult> UnavailableChangeAsync(string organizationId, ListMyInstitutionsHandler organizations, HttpContext http, CancellationToken ct)
    {
        var organization = await OrganizationAsync(organizations, organizationId, http, ct);
        if (!organization.IsSuccess)
        {
            return WachtResults.Error(organization.Error!);
        }
        return organization.Value.Role is InstitutionRole.Owner or InstitutionRole.Admin
            ? WachtErrors.ChangeUnavailable
            : WachtResults.Error(new PermissionDenied(InstitutionRoles.ManagePermission));
    }

    /// <summary>The caller's membership of the organization; <see cref="NotFound"/> for anyone else (an organization never reveals that it exists).</summary>
    private static async Task<Result<InstitutionMembershipDetail>> OrganizationAsync(
        ListMyInstitutionsHandler organizations, string organizationId, HttpContext http, CancellationToken ct) =>
        (await organizations.HandleAsync(http.Caller(), ct)).FirstOrDefault(m => m.Institution.Id == organizationId) is { } membership
            ? membership
            : new NotFound();

    /// <summary>The caller's standing to invite in a workspace of the organization: 404 for a workspace they are not in or of another organization.</summary>
    private static async Task<Result<WorkspaceStanding>> InOrganizationAsync(
        WorkspaceAccess access, string organizationId, string workspaceId, HttpContext http, CancellationToken ct)
    {
        var standing = await access.CheckAsync(workspaceId, http.Caller(), Permissions.MembersInvite, ct);
        return standing.IsSuccess && standing.Value.InstitutionId != organizationId ? new NotFound() : standing;
    }
}
