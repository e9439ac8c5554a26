using Tenantry.Application.Invitations;
using Tenantry.Application.Invitations.Accept;
using Tenantry.Application.Invitations.Create;
using Tenantry.Application.Invitations.Decline;
using Tenantry.Application.Invitations.ListMine;
using Tenantry.Application.Invitations.ListPending;
using Tenantry.Application.Invitations.Resend;
using Tenantry.Application.Invitations.Revoke;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.SystemApi.Enums;
using Tenantry.Server.Dialects.SystemApi.Workspaces;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Invitations;

/// <summary>An invitation as the workspace's managers see it: exactly CONTRACT 5's fields.</summary>
public sealed record SystemInvitation(
    string InvitationBizId, string WorkspaceBizId, string Email, string RoleBizId, string Status, DateTime ExpiresAt, DateTime CreatedAt)
{
    public static SystemInvitation From(InvitationView i) =>
        new(i.InvitationId, i.WorkspaceId, i.Email, i.RoleId, EnvelopeEnums.Code(i.Status), i.ExpiresAt, i.CreatedAt);
}

/// <summary>An invitation as its invitee sees it: where to and in which role.</summary>
public sealed record SystemMyInvitation(
    string InvitationBizId, string WorkspaceBizId, string WorkspaceName, string Email, string RoleBizId, string RoleName, string Status,
    DateTime ExpiresAt, DateTime CreatedAt)
{
    public static SystemMyInvitation From(InvitationView i) =>
        new(i.InvitationId, i.WorkspaceId, i.WorkspaceName, i.Email, i.RoleId, i.RoleName, EnvelopeEnums.Code(i.Status), i.ExpiresAt, i.CreatedAt);
}

public sealed record CreateInvitationRequest(string? Email, string? RoleBizId);

/// <summary>The optional body of accept and decline: the token from the invitation's email.</summary>
public sealed record InvitationAnswerRequest(string? Token);

/// <summary>Inviting people (managers, <c>members.invite</c>) and answering invitations (the invitee).</summary>
internal static class InvitationEndpoints
{
    public const string Version = "1.0.0";

    public static void Map(RouteGroupBuilder web)
    {
        web.MapPost("/workspaces/{workspaceBizId}/invitations", async (string workspaceBizId, CreateInvitationRequest body, CreateInvitationHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(http.Standing(), new CreateInvitationCommand(body.Email, body.RoleBizId), http.Caller(), ct), SystemInvitation.From))
            .RequireWorkspacePermission(Permissions.MembersInvite)
            .RequireRateLimiting(RateLimitPolicies.Invitations)
            .Describe("Invite an email address in a role that does not exceed the inviter's permissions")
            .Produces<EnvelopeDoc<SystemInvitation>>();

        web.MapGet("/workspaces/{workspaceBizId}/invitations", (string workspaceBizId, int? page, int? pageSize, ListPendingInvitationsHandler handler, HttpContext http, CancellationToken ct) =>
                SystemPaging.ListAsync(http, page, pageSize, request => handler.HandleAsync(workspaceBizId, request, ct), SystemInvitation.From))
            .RequireWorkspacePermission(Permissions.MembersInvite)
            .Describe("The workspace's pending invitations, newest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<SystemInvitation>>>();

        web.MapPost("/workspaces/{workspaceBizId}/invitations/{invitationBizId}/revoke", async (string workspaceBizId, string invitationBizId, RevokeInvitationHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(http.Standing(), invitationBizId, http.Caller(), ct), SystemInvitation.From))
            .RequireWorkspacePermission(Permissions.MembersInvite)
            .Describe("Withdraw a pending invitation")
            .Produces<EnvelopeDoc<SystemInvitation>>();

        web.MapPost("/workspaces/{workspaceBizId}/invitations/{invitationBizId}/resend", async (string workspaceBizId, string invitationBizId, ResendInvitationHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(http.Standing(), invitationBizId, http.Caller(), ct), SystemInvitation.From))
            .RequireWorkspacePermission(Permissions.MembersInvite)
            .RequireRateLimiting(RateLimitPolicies.Invitations)
            .Describe("Send a pending invitation again, with a new expiry")
            .Produces<EnvelopeDoc<SystemInvitation>>();

        web.MapGet("/tenant/invitations/mine", async (ListMyInvitationsHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.Ok((await handler.HandleAsync(http.Caller(), ct)).Select(SystemMyInvitation.From).ToList()))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .Describe("Pending invitations addressed to the caller's email, once it is verified (empty until then)")
            .Produces<EnvelopeDoc<List<SystemMyInvitation>>>();

        web.MapPost("/tenant/invitations/{invitationBizId}/accept", async (string invitationBizId, InvitationAnswerRequest? body, AcceptInvitationHandler handler, SystemEnums enums, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(invitationBizId, body?.Token, http.Caller(), ct), item => SystemWorkspaceItem.From(item, enums)))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .Describe("Accept an invitation with the {token} from its email (optional body), or as the account whose verified email it is " +
                "addressed to. A token for the caller's own unverified address also verifies it; a token for another address works only " +
                "where the workspace's policy allows transfer. Everyone else gets 4040. Answers the new workspace list item", WorkspaceEndpoints.ListVersion)
            .Produces<EnvelopeDoc<SystemWorkspaceItem>>();

        web.MapPost("/tenant/invitations/{invitationBizId}/decline", async (string invitationBizId, InvitationAnswerRequest? body, DeclineInvitationHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(invitationBizId, body?.Token, http.Caller(), ct)))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .Describe("Decline an invitation: the same accounts as for accept ({token} in an optional body, or the verified invited address)")
            .Produces<EnvelopeDoc<object>>();
    }

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string summary, string version = Version) =>
        builder.WithApiVersion(version).WithTags("Invitations").WithSummary(summary);
}
