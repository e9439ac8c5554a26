using Tenantry.Application.Accounts.Sessions;
using Tenantry.Application.Accounts.SignOut;
using Tenantry.Application.Institutions.Switch;
using Tenantry.Application.Workspaces.Switch;
using Tenantry.Domain.Common;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Sessions;

/// <summary><c>{token, expires}</c>: Wacht's <c>SessionToken</c>, <c>expires</c> in epoch milliseconds (the SDK caches the token until then).</summary>
public sealed record WachtSessionToken(string Token, long Expires);

/// <summary>
/// The session and its active organization and workspace (CONTRACT 6). Switches answer with the session, as Wacht does.
/// Tenantry has one sign-in per session, with the session's id: a <c>sign_in_id</c> names it or nothing.
/// </summary>
internal static class WachtSessionEndpoints
{
    public static void MapAnonymous(RouteGroupBuilder anonymous) =>
        anonymous.MapGet("/session", async (WachtSessions sessions, HttpContext http) =>
            {
                var session = await sessions.CurrentOrAnonymousAsync(http);
                return WachtResults.Ok(session, session);
            })
            .WithSummary("The current session, its sign-in and the active organization and workspace memberships; the empty session when signed out")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

    public static void Map(RouteGroupBuilder wacht)
    {
        wacht.MapPost("/session/switch-workspace", (SwitchWorkspaceHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, sessions, input => handler.HandleAsync(input["workspace_id"], http.Caller(), ct), answerWithSession: true))
            .WithSummary("Make a workspace the active one (the SYSTEM default workspace); no workspace_id clears it")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        wacht.MapPost("/session/switch-organization", (SwitchInstitutionHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, sessions, input => handler.HandleAsync(input["organization_id"], http.Caller(), ct), answerWithSession: true))
            .WithSummary("Make an organization the active one; no organization_id clears it")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        wacht.MapPost("/session/switch-sign-in", (WachtSessions sessions, HttpContext http) =>
                WachtResults.MutationAsync(http, sessions, input => Task.FromResult(ThisSignIn(input["sign_in_id"], http, required: true)), answerWithSession: true))
            .WithSummary("Make a sign-in the active one: the session has one, so only its own id is accepted (404 for any other)")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        wacht.MapPost("/session/sign-out", async (SignOutHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var (input, unreadable) = await WachtInput.ReadAsync(http);
                if (unreadable is not null)
                {
                    return unreadable;
                }
                var check = ThisSignIn(input!["sign_in_id"], http, required: false);
                if (!check.IsSuccess)
                {
                    return WachtResults.Error(check.Error);
                }
                await handler.HandleAsync(http.Caller(), ct);
                return WachtResults.SignedOut(http);
            })
            .WithSummary("Sign out: the session's tokens and cookie stop working; sign_in_id, when given, must be this session's sign-in")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        wacht.MapGet("/session/token", async (IssueSessionAccessTokenHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
            {
                // Wacht's JWT templates: Tenantry has the one access token, which is the "default".
                var template = http.Request.Query["template"];
                if (template.Count > 1 || template.Count == 1 && template[0] is not ("" or "default"))
                {
                    return WachtResults.Error(new ValidationFailed(new FieldError("template", "InvalidQuery")));
                }
                var token = await handler.HandleAsync(http.Caller(), ct);
                return WachtResults.Ok(new WachtSessionToken(token.Token, token.ExpiresAt.ToUnixTimeMilliseconds()), await sessions.CurrentAsync(http));
            })
            .WithSummary("An access token of this session for the product's own backend (verify it with /.well-known/jwks.json); expires in epoch ms")
            .Produces<WachtEnvelopeDoc<WachtSessionToken>>();
    }

    /// <summary>The session's one sign-in has the session's id; any other id is one this session does not have.</summary>
    private static Result ThisSignIn(string? signInId, HttpContext http, bool required) =>
        string.IsNullOrEmpty(signInId)
            ? required ? new ValidationFailed(new FieldError("sign_in_id", "InvalidQuery")) : Result.Success
            : signInId == http.Caller().SessionId ? Result.Success : new NotFound();
}
