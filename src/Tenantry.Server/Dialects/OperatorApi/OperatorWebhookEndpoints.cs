using Tenantry.Application.Common;
using Tenantry.Application.Webhooks.Create;
using Tenantry.Application.Webhooks.Deliveries;
using Tenantry.Application.Webhooks.Delete;
using Tenantry.Application.Webhooks.List;
using Tenantry.Application.Webhooks.Replay;
using Tenantry.Application.Webhooks.RotateSecret;
using Tenantry.Application.Webhooks.SendTest;
using Tenantry.Application.Webhooks.Update;
using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.Envelope;

namespace Tenantry.Server.Dialects.OperatorApi;

/// <summary>Every institution's webhook endpoints, for operators (CONTRACT 8: these routes are fixed). Behind the operator key filter of the group.</summary>
internal static class OperatorWebhookEndpoints
{
    private const string Base = "/institutions/{institutionBizId}/webhooks";

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost(Base, async (string institutionBizId, AdminCreateWebhookRequest body, CreateWebhookHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, new CreateWebhookCommand(body.Url, body.Description, body.EventTypes), ct), AdminWebhookEndpoint.From))
            .WithSummary("Add a webhook endpoint to an institution; the answer carries its signing secret, shown this once")
            .Produces<EnvelopeDoc<AdminWebhookEndpoint>>();

        admin.MapGet(Base, (string institutionBizId, int? page, int? pageSize, ListWebhooksHandler handler, HttpContext http, CancellationToken ct) =>
                Paged(http, page, pageSize, request => handler.HandleAsync(institutionBizId, request, ct), AdminWebhookEndpoint.From))
            .WithSummary("An institution's webhook endpoints, oldest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<AdminWebhookEndpoint>>>();

        admin.MapGet(Base + "/{webhookBizId}", async (string institutionBizId, string webhookBizId, ListWebhooksHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.OneAsync(institutionBizId, webhookBizId, ct), AdminWebhookEndpoint.From))
            .WithSummary("One webhook endpoint")
            .Produces<EnvelopeDoc<AdminWebhookEndpoint>>();

        admin.MapPatch(Base + "/{webhookBizId}", async (string institutionBizId, string webhookBizId, AdminUpdateWebhookRequest body, UpdateWebhookHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, webhookBizId, new UpdateWebhookCommand(
                    body.Field(nameof(body.Url), body.Url),
                    body.Field(nameof(body.Description), body.Description),
                    body.Field<IReadOnlyList<string?>?>(nameof(body.EventTypes), body.EventTypes),
                    body.Field(nameof(body.Enabled), body.Enabled)), ct), AdminWebhookEndpoint.From))
            .WithSummary("Change an endpoint's url, description, eventTypes (empty: all) or enabled")
            .Produces<EnvelopeDoc<AdminWebhookEndpoint>>();

        admin.MapDelete(Base + "/{webhookBizId}", async (string institutionBizId, string webhookBizId, DeleteWebhookHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, webhookBizId, ct)))
            .WithSummary("Delete an endpoint and its deliveries")
            .Produces<EnvelopeDoc<object>>();

        admin.MapPost(Base + "/{webhookBizId}/rotate-secret", async (string institutionBizId, string webhookBizId, RotateWebhookSecretHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, webhookBizId, ct), AdminWebhookEndpoint.From))
            .WithSummary("A new signing secret (shown this once); the previous one is also signed with during the overlap")
            .Produces<EnvelopeDoc<AdminWebhookEndpoint>>();

        admin.MapPost(Base + "/{webhookBizId}/test", async (string institutionBizId, string webhookBizId, SendTestEventHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, webhookBizId, ct), AdminWebhookDelivery.From))
            .WithSummary("Queue a webhook.test event to the endpoint; answers the delivery")
            .Produces<EnvelopeDoc<AdminWebhookDelivery>>();

        admin.MapGet(Base + "/{webhookBizId}/deliveries", (string institutionBizId, string webhookBizId, int? page, int? pageSize, ListDeliveriesHandler handler, HttpContext http, CancellationToken ct) =>
                Paged(http, page, pageSize, request => handler.HandleAsync(institutionBizId, webhookBizId, request, ct), AdminWebhookDelivery.From))
            .WithSummary("The endpoint's deliveries, newest first (page, pageSize; total in X-Total-Count)")
            .Produces<EnvelopeDoc<List<AdminWebhookDelivery>>>();

        admin.MapPost(Base + "/{webhookBizId}/deliveries/{deliveryId}/replay", async (string institutionBizId, string webhookBizId, string deliveryId, ReplayDeliveriesHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.OneAsync(institutionBizId, webhookBizId, deliveryId, ct), AdminWebhookDelivery.From))
            .WithSummary("Send one delivery again, now, with its webhook-id")
            .Produces<EnvelopeDoc<AdminWebhookDelivery>>();

        admin.MapPost(Base + "/{webhookBizId}/deliveries/replay-failed", async (string institutionBizId, string webhookBizId, AdminReplayFailedRequest body, ReplayDeliveriesHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.FailedSinceAsync(institutionBizId, webhookBizId, body.Since, ct), AdminReplayedDeliveries.From))
            .WithSummary("Send again every failed delivery of the endpoint created since {since}")
            .Produces<EnvelopeDoc<AdminReplayedDeliveries>>();
    }

    private static async Task<IResult> Paged<TValue, TWire>(
        HttpContext http, int? page, int? pageSize, Func<PageRequest, Task<Result<Paged<TValue>>>> list, Func<TValue, TWire> toWire)
    {
        var request = PageRequest.From(page, pageSize);
        if (!request.IsSuccess)
        {
            return OperatorResults.Error(request.Error);
        }
        var result = await list(request.Value);
        if (!result.IsSuccess)
        {
            return OperatorResults.Error(result.Error);
        }
        http.Response.Headers["X-Total-Count"] = result.Value.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return OperatorResults.Ok(result.Value.Items.Select(toWire).ToList());
    }
}
