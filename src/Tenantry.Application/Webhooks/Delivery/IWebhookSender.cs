namespace Tenantry.Application.Webhooks.Delivery;

/// <summary>One attempt: the body to POST to <paramref name="Url"/>, signed with each secret (<c>whsec_…</c>), under <paramref name="MessageId"/>.</summary>
public sealed record WebhookRequest(string Url, string MessageId, string Payload, IReadOnlyList<string> Secrets);

/// <summary>
/// What an attempt gave: the status code (null when no answer came: refused, timed out, address
/// not allowed), how long it took, the start of the answer's body, and what went wrong.
/// </summary>
public sealed record WebhookResponse(int? StatusCode, TimeSpan Duration, string? Body, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>Sends one signed attempt over HTTP. Never throws for a failed attempt; only cancellation ends it early.</summary>
public interface IWebhookSender
{
    Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken);
}
