using Tenantry.Application.Common;
using Tenantry.Application.Webhooks.Access;
using Tenantry.Application.Webhooks.Create;
using Tenantry.Application.Webhooks.Deliveries;
using Tenantry.Application.Webhooks.Delete;
using Tenantry.Application.Webhooks.List;
using Tenantry.Application.Webhooks.Replay;
using Tenantry.Application.Webhooks.RotateSecret;
using Tenantry.Application.Webhooks.SendTest;
using Tenantry.Application.Webhooks.Update;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Webhooks;

/// <summary>
/// The institution's webhook endpoints, named through one of its workspaces: the caller holds
/// <c>webhooks.manage</c> in that workspace (its policy: 4040 for non-members, 403 when not
/// enterable or without it) and is an Owner or Admin of its institution (else 4030).
/// </summary>
internal static class WebhookEndpoints
{
    public const string Version = "1.0.0";
    private const string Base = "/workspaces/{workspaceId}/webhooks";

    public static void Map(RouteGroupBuilder web)
    {
        web.MapPost(Base, (string workspaceId, CreateWebhookRequest body, CreateWebhookHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, async institution => SystemResults.From(
                    await handler.HandleAsync(institution, new CreateWebhookCommand(body.Url, body.Description, body.EventTypes), ct), SystemWebhookEndpoint.From)))
            .Describe("Add a webhook endpoint to the workspace's institution; the answer carries its signing secret, shown this once")
            .Produces<EnvelopeDoc<SystemWebhookEndpoint>>();

        web.MapGet(Base, (string workspaceId, int? page, int? pageSize, ListWebhooksHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, institution => Paged(http, page, pageSize, request => handler.HandleAsync(institution, request, ct), SystemWebhookEndpoint.From)))
            .Describe("The institution's webhook endpoints, oldest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<SystemWebhookEndpoint>>>();

        web.MapGet(Base + "/{webhookBizId}", (string workspaceId, string webhookBizId, ListWebhooksHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, async institution => SystemResults.From(await handler.OneAsync(institution, webhookBizId, ct), SystemWebhookEndpoint.From)))
            .Describe("One webhook endpoint: enabled, and why the system disabled it when it did")
            .Produces<EnvelopeDoc<SystemWebhookEndpoint>>();

        web.MapPatch(Base + "/{webhookBizId}", (string workspaceId, string webhookBizId, UpdateWebhookRequest body, UpdateWebhookHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, async institution => SystemResults.From(
                    await handler.HandleAsync(institution, webhookBizId, new UpdateWebhookCommand(
                        body.Field(nameof(body.Url), body.Url),
                        body.Field(nameof(body.Description), body.Description),
                        body.Field<IReadOnlyList<string?>?>(nameof(body.EventTypes), body.EventTypes),
                        body.Field(nameof(body.Enabled), body.Enabled)), ct), SystemWebhookEndpoint.From)))
            .Describe("Change an endpoint's url, description, eventTypes (empty: all) or enabled")
            .Produces<EnvelopeDoc<SystemWebhookEndpoint>>();

        web.MapDelete(Base + "/{webhookBizId}", (string workspaceId, string webhookBizId, DeleteWebhookHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, async institution => SystemResults.From(await handler.HandleAsync(institution, webhookBizId, ct))))
            .Describe("Delete an endpoint and its deliveries")
            .Produces<EnvelopeDoc<object>>();

        web.MapPost(Base + "/{webhookBizId}/rotate-secret", (string workspaceId, string webhookBizId, RotateWebhookSecretHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, async institution => SystemResults.From(await handler.HandleAsync(institution, webhookBizId, ct), SystemWebhookEndpoint.From)))
            .Describe("A new signing secret (shown this once); the previous one is also signed with during the overlap")
            .Produces<EnvelopeDoc<SystemWebhookEndpoint>>();

        web.MapPost(Base + "/{webhookBizId}/test", (string workspaceId, string webhookBizId, SendTestEventHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, async institution => SystemResults.From(await handler.HandleAsync(institution, webhookBizId, ct), SystemWebhookDelivery.From)))
            .Describe("Queue a webhook.test event to the endpoint; answers the delivery")
            .Produces<EnvelopeDoc<SystemWebhookDelivery>>();

        web.MapGet(Base + "/{webhookBizId}/deliveries", (string workspaceId, string webhookBizId, int? page, int? pageSize, ListDeliveriesHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, institution => Paged(http, page, pageSize, request => handler.HandleAsync(institution, webhookBizId, request, ct), SystemWebhookDelivery.From)))
            .Describe("The endpoint's deliveries, newest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<SystemWebhookDelivery>>>();

        web.MapPost(Base + "/{webhookBizId}/deliveries/{deliveryId}/replay", (string workspaceId, string webhookBizId, string deliveryId, ReplayDeliveriesHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, async institution => SystemResults.From(await handler.OneAsync(institution, webhookBizId, deliveryId, ct), SystemWebhookDelivery.From)))
            .Describe("Send one delivery again, now, with its webhook-id")
            .Produces<EnvelopeDoc<SystemWebhookDelivery>>();

        web.MapPost(Base + "/{webhookBizId}/deliveries/replay-failed", (string workspaceId, string webhookBizId, ReplayFailedRequest body, ReplayDeliveriesHandler handler, WebhookManagers managers, HttpContext http, CancellationToken ct) =>
                InInstitution(http, managers, ct, async institution => SystemResults.From(await handler.FailedSinceAsync(institution, webhookBizId, body.Since, ct), SystemReplayedDeliveries.From)))
            .Describe("Send again every failed delivery of the endpoint created since {since}")
            .Produces<EnvelopeDoc<SystemReplayedDeliveries>>();
    }

    private static async Task<IResult> InInstitution(HttpContext http, WebhookManagers managers, CancellationToken ct, Func<string, Task<IResult>> run)
    {
        var institution = await managers.InstitutionAsync(http.Standing(), http.Caller(), ct);
        return institution.IsSuccess ? await run(institution.Value) : SystemResults.Error(institution.Error);
    }

    private static async Task<IResult> Paged<TValue, TWire>(
        HttpContext http, int? page, int? pageSize, Func<PageRequest, Task<Result<Paged<TValue>>>> list, Func<TValue, TWire> toWire)
    {
        var request = PageRequest.From(page, pageSize);
        if (!request.IsSuccess)
        {
            return SystemResults.Error(request.Error);
        }
        var result = await list(request.Value);
        return result.IsSuccess ? SystemPaging.Ok(http, result.Value, toWire) : SystemResults.Error(result.Error);
    }

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string summary) =>
        builder.RequireWorkspacePermission(Permissions.WebhooksManage).WithApiVersion(Version).WithTags("Webhooks").WithSummary(summary);
}
