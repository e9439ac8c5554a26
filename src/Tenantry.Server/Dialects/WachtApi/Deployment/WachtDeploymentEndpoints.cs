using Tenantry.Application.Invitations.CheckToken;
using Tenantry.Domain.Common;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.WachtApi.Deployment;

/// <summary>What Wacht's SDK reads before anyone signs in: the deployment, and an invitation link's token on the sign-up page.</summary>
internal static class WachtDeploymentEndpoints
{
    public static void Map(RouteGroupBuilder anonymous)
    {
        anonymous.MapGet("/deployment", async (WachtDeploymentSettings settings, WachtSessions sessions, HttpContext http) =>
                WachtResults.Ok(WachtDeployment.From(settings, http.Request), await sessions.CurrentOrAnonymousAsync(http)))
            .WithSummary("The deployment: which organization, workspace and sign-in features Tenantry serves, and the pages around them")
            .Produces<WachtEnvelopeDoc<WachtDeployment>>();

        anonymous.MapGet("/deployment/invitations/validate", async (CheckInvitationTokenHandler handler, WachtSessions sessions, WachtWireContext context,
                HttpContext http) =>
            {
                var token = http.Request.Query["token"];
                if (token.Count != 1 || string.IsNullOrWhiteSpace(token[0]))
                {
                    return WachtResults.Error(new ValidationFailed([new FieldError("token", "InvalidQuery")]));
                }
                var check = await handler.HandleAsync(token[0]!, http.RequestAborted);
                var answer = check.Valid
                    ? new WachtInvitationValidation(true, "", "", check.Email!, "", "")
                    : new WachtInvitationValidation(false, "", "", "", context.Messages.Text("Wacht.InvitationInvalid"), "INVITATION_INVALID");
                return WachtResults.Ok(answer, await sessions.CurrentOrAnonymousAsync(http));
            })
            .WithSummary("Whether an invitation link's token can still be accepted, and the address it was sent to (for the sign-up form)")
            .Produces<WachtEnvelopeDoc<WachtInvitationValidation>>();
    }
}
