using Tenantry.Application.Accounts.Me;
using Tenantry.Application.Accounts.Profile;
using Tenantry.Application.Accounts.Mfa.Status;
using Tenantry.Application.Accounts.Sessions;
using Tenantry.Domain.Common;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Users;

/// <summary>The signed-in user (<c>useUser</c>) and the account's sign-ins on every device (<c>useUserSignins</c>).</summary>
internal static class WachtUserEndpoints
{
    public static void Map(RouteGroupBuilder wacht)
    {
        wacht.MapGet("/me", async (GetAccountHandler account, GetMfaStatusHandler mfa, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var user = WachtUser.From(await account.HandleAsync(caller, ct), await mfa.HandleAsync(caller, ct));
                return WachtResults.Ok(user, await sessions.CurrentAsync(http));
            })
            .WithSummary("The signed-in user: name, the account's email address, whether a TOTP authenticator and backup codes are set up")
            .Produces<WachtEnvelopeDoc<WachtUser>>();

        wacht.MapPost("/me", async (UpdateProfileHandler profile, GetAccountHandler account, GetMfaStatusHandler mfa, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
            {
                var (input, unreadable) = await WachtInput.ReadAsync(http);
                if (unreadable is not null)
                {
                    return unreadable;
                }
                var caller = http.Caller();
                var status = await mfa.HandleAsync(caller, ct);
                if (Unsupported(input!, caller.UserId, status) is { } field)
                {
                    return WachtResults.Error(new ValidationFailed(new FieldError(field, "NotSupported")));
                }
                var (first, last) = (input!["first_name"], input["last_name"]);
                if (!string.IsNullOrEmpty(first) || !string.IsNullOrEmpty(last))
                {
                    // One display name: the first name is all of it (as GET /me shows it), a last name is appended.
                    first = string.IsNullOrEmpty(first) ? (await account.HandleAsync(caller, ct)).DisplayName : first;
                    var renamed = await profile.HandleAsync(new UpdateProfileCommand(string.IsNullOrEmpty(last) ? first : $"{first} {last}"), caller, ct);
                    if (!renamed.IsSuccess)
                    {
                        return WachtResults.Error(renamed.Error);
                    }
                }
                var user = WachtUser.From(await account.HandleAsync(caller, ct), status);
                return WachtResults.Ok(user, await sessions.CurrentAsync(http));
            })
            .WithSummary("Update the profile (form fields first_name, last_name: the display name); what Tenantry does not hold may only be sent unchanged")
            .Produces<WachtEnvelopeDoc<WachtUser>>();

        wacht.MapGet("/me/signins", async (ListMySessionsHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
            {
                var current = await sessions.CurrentAsync(http);
                var signIns = await handler.HandleAsync(http.Caller(), ct);
                return WachtResults.Ok(signIns.Select(s => WachtSignIn.From(s, current.ActiveSignin!)).ToList(), current);
            })
            .WithSummary("The account's live sign-ins (one per session, on any device), the most recently used first")
            .Produces<WachtEnvelopeDoc<List<WachtSignIn>>>();

        wacht.MapPost("/me/signins/{id}/signout", async (string id, SignOutSessionHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var result = await handler.HandleAsync(id, caller, ct);
                if (!result.IsSuccess)
                {
                    return WachtResults.Error(result.Error);
                }
                if (id == caller.SessionId)
                {
                    return WachtResults.SignedOut(http);
                }
                var session = await sessions.CurrentAsync(http);
                return WachtResults.Ok(session, session);
            })
            .WithSummary("Sign one of the account's sessions out; another account's, or one already ended, is 404")
            .Produces<WachtEnvelopeDoc<WachtSession>>();
    }

    /// <summary>
    /// The profile fields Wacht's SDK may send that Tenantry does not hold (a username, a phone number, another address, a second-factor
    /// policy other than the one the authenticator implies): the first one sent with a value other than what <c>GET /me</c> shows.
    /// </summary>
    private static string? Unsupported(WachtInput input, string userId, MfaStatus mfa)
    {
        if (input["username"] is { Length: > 0 })
        {
            return "username";
        }
        if (input["primary_phone_number_id"] is { Length: > 0 })
        {
            return "primary_phone_number_id";
        }
        if (input["primary_email_address_id"] is { Length: > 0 } email && email != WachtEmailAddress.IdOf(userId))
        {
            return "primary_email_address_id";
        }
        if (input["second_factor_policy"] is { Length: > 0 } policy && policy != WachtUser.SecondFactorPolicyOf(mfa))
        {
            return "second_factor_policy";
        }
        return null;
    }
}
