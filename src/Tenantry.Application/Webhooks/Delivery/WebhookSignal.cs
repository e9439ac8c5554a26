using Tenantry.Application.Common;

namespace Tenantry.Application.Webhooks.Delivery;

/// <summary>Wakes the webhook delivery worker as soon as deliveries were queued.</summary>
public sealed class WebhookSignal : WorkerSignal;
