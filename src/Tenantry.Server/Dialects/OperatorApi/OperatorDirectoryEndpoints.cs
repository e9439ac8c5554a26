using Tenantry.Application.Common;
using Tenantry.Application.Operator.Audit;
using Tenantry.Application.Operator.Directory;
using Tenantry.Application.Operator.SigningKeys;
using Tenantry.Application.Operator.UpdateUser;
using Tenantry.Application.Operator.Users;
using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.Envelope;

namespace Tenantry.Server.Dialects.OperatorApi;

/// <summary>
/// What the <c>tenantry</c> CLI needs: search and paging of users, institutions and workspaces
/// (<c>page</c>, <c>pageSize</c>; total in <c>X-Total-Count</c>), account actions on action paths
/// (<c>POST .../users/{id}/disable</c>, ...), institution suspension, members, the audit trail and
/// the signing keys. A change to an account writes an event of the account's trail whose actor is
/// <c>operator</c> (<c>GET .../users/{id}/events</c>); any other change an audit event whose actor is <c>"operator"</c>.
/// </summary>
internal static class OperatorDirectoryEndpoints
{
    private static async Task<Result<Paged<T>>> Succeeded<T>(Task<Paged<T>> page) => await page;

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/users", (string? query, int? page, int? pageSize, SearchUsersHandler handler, HttpContext http, CancellationToken ct) =>
                OperatorResults.ListAsync(http, page, pageSize, request => Succeeded(handler.HandleAsync(query, request, ct)), AdminUserResponse.From))
            .WithSummary("Search accounts: id, or email or display name containing query (case-insensitive); newest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<AdminUserResponse>>>();

        admin.MapGet("/users/{userBizId}", async (string userBizId, GetUserHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(userBizId, ct), AdminUserResponse.From))
            .WithSummary("One account: email (verified or not), display name, status, MFA, live sessions, workspaces")
            .Produces<EnvelopeDoc<AdminUserResponse>>();

        admin.MapPatch("/users/{userBizId}", async (string userBizId, AdminUpdateUserRequest body, AdminUpdateUserHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(userBizId, new AdminUpdateUserCommand(
                    body.Field(nameof(body.EmailVerified), body.EmailVerified)), ct), AdminUserResponse.From))
            .WithSummary("Mark an account's email verified (true) or unverified again (false); recorded in the account's events with actor \"operator\"")
            .Produces<EnvelopeDoc<AdminUserResponse>>();

        admin.MapGet("/users/{userBizId}/events", async (string userBizId, AdminListUserEventsHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(userBizId, ct), events => events.Select(AdminAccountEvent.From).ToList()))
            .WithSummary($"The account's events (email verified or unverified, disabled, enabled, signed out, MFA reset: how, by whom), newest first, at most {AdminListUserEventsHandler.Limit}")
            .Produces<EnvelopeDoc<List<AdminAccountEvent>>>();

        admin.MapPost("/users/{userBizId}/disable", async (string userBizId, SetUserStatusHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(userBizId, enabled: false, ct), AdminUserResponse.From))
            .WithSummary("Disable an account: its sessions are revoked at once and sign-in answers AUTH.ACCOUNT_DISABLED")
            .Produces<EnvelopeDoc<AdminUserResponse>>();

        admin.MapPost("/users/{userBizId}/enable", async (string userBizId, SetUserStatusHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(userBizId, enabled: true, ct), AdminUserResponse.From))
            .WithSummary("Enable a disabled account again")
            .Produces<EnvelopeDoc<AdminUserResponse>>();

        admin.MapPost("/users/{userBizId}/revoke-sessions", async (string userBizId, RevokeUserSessionsHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(userBizId, ct), AdminUserResponse.From))
            .WithSummary("Sign an account out everywhere: every live session is revoked")
            .Produces<EnvelopeDoc<AdminUserResponse>>();

        admin.MapPost("/users/{userBizId}/reset-mfa", async (string userBizId, ResetUserMfaHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(userBizId, ct), AdminUserResponse.From))
            .WithSummary("Remove an account's authenticator and recovery codes (a lost device); sessions are kept")
            .Produces<EnvelopeDoc<AdminUserResponse>>();

        admin.MapGet("/institutions", (string? query, int? page, int? pageSize, ListInstitutionsHandler handler, HttpContext http, CancellationToken ct) =>
                OperatorResults.ListAsync(http, page, pageSize, request => Succeeded(handler.HandleAsync(query, request, ct)), AdminInstitutionResponse.From))
            .WithSummary("Search institutions: id, or name or slug containing query; newest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<AdminInstitutionResponse>>>();

        admin.MapGet("/institutions/{institutionBizId}", async (string institutionBizId, GetInstitutionHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, ct), AdminInstitutionResponse.From))
            .WithSummary("One institution")
            .Produces<EnvelopeDoc<AdminInstitutionResponse>>();

        admin.MapPost("/institutions/{institutionBizId}/suspend", async (string institutionBizId, SetInstitutionSuspensionHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, suspended: true, ct), AdminInstitutionSuspensionResponse.From))
            .WithSummary("Suspend every workspace of an institution")
            .Produces<EnvelopeDoc<AdminInstitutionSuspensionResponse>>();

        admin.MapPost("/institutions/{institutionBizId}/resume", async (string institutionBizId, SetInstitutionSuspensionHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, suspended: false, ct), AdminInstitutionSuspensionResponse.From))
            .WithSummary("Reactivate every workspace of an institution")
            .Produces<EnvelopeDoc<AdminInstitutionSuspensionResponse>>();

        admin.MapGet("/workspaces", (string? query, string? institutionBizId, string? status, int? page, int? pageSize, ListWorkspacesHandler handler,
                    HttpContext http, CancellationToken ct) =>
                OperatorResults.ListAsync(http, page, pageSize, request => handler.HandleAsync(query, institutionBizId, status, request, ct), AdminWorkspaceResponse.From))
            .WithSummary("Search workspaces: id, or name or slug containing query; of one institution; ACTIVE or SUSPENDED; newest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<AdminWorkspaceResponse>>>();

        admin.MapGet("/workspaces/{workspaceBizId}", async (string workspaceBizId, GetWorkspaceHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(workspaceBizId, ct), AdminWorkspaceResponse.From))
            .WithSummary("One workspace, private metadata included")
            .Produces<EnvelopeDoc<AdminWorkspaceResponse>>();

        admin.MapGet("/workspaces/{workspaceBizId}/members", (string workspaceBizId, int? page, int? pageSize, ListWorkspaceMembersHandler handler,
                    HttpContext http, CancellationToken ct) =>
                OperatorResults.ListAsync(http, page, pageSize, request => handler.HandleAsync(workspaceBizId, request, ct), AdminMemberResponse.From))
            .WithSummary("Every member of a workspace, active or not, in the order they joined (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<AdminMemberResponse>>>();

        admin.MapGet("/audit-events", (string? institutionBizId, string? workspaceBizId, string? action, string? actorUserBizId, string? after,
                    int? page, int? pageSize, ListOperatorAuditHandler handler, HttpContext http, CancellationToken ct) =>
                OperatorResults.ListAsync(http, page, pageSize,
                    request => Succeeded(handler.HandleAsync(new OperatorAuditFilter(institutionBizId, workspaceBizId, action, actorUserBizId, after), request, ct)),
                    AdminAuditEventResponse.From))
            .WithSummary("The audit trail of every institution and of the directory, newest first; after=<eventBizId> gives only newer events (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<AdminAuditEventResponse>>>();

        admin.MapGet("/signing-keys", async (ListSigningKeysHandler handler, CancellationToken ct) =>
                OperatorResults.Ok(AdminSigningKeyResponse.FromAll(await handler.HandleAsync(ct))))
            .WithSummary("The access-token signing keys that are published, signing or still verifying; newest first")
            .Produces<EnvelopeDoc<List<AdminSigningKeyResponse>>>();

        admin.MapPost("/signing-keys/rotate", async (RotateSigningKeyHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(ct), AdminSigningKeyResponse.FromAll))
            .WithSummary("Rotate now: a new key is published at once and signs after the publish lead; the current key retires then")
            .Produces<EnvelopeDoc<List<AdminSigningKeyResponse>>>();
    }
}
