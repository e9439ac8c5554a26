namespace Tenantry.Application.Webhooks;

/// <summary>Configuration: Tenantry:Webhooks. The defaults are the production behaviour; tests shorten the intervals.</summary>
public sealed class WebhookOptions
{
    /// <summary>How long one delivery attempt may take (connect, send, answer).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the delivery worker looks for due deliveries when nothing wakes it earlier.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry of a delivery waits about this long; each further one twice as long (with jitter), up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Each retry delay is moved at random by up to this fraction, so that retries of many deliveries spread out.</summary>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>A delivery is given up (status FAILED, kept for replay) once its next attempt would fall later than this after it was queued.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>An endpoint whose attempts have all failed for this long is disabled, with the reason.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>After a secret rotation the previous secret is still signed with for this long.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a replica holds an endpoint while it delivers to it (renewed as it goes). A replica
    /// that dies holding one delays that endpoint's deliveries by at most this; must exceed <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Delivery attempts per second of one replica, all endpoints together (0: unpaced). A backlog
    /// drains at this pace, so its CPU stays a small share beside the requests a replica serves.
    /// </summary>
    public int MaxDeliveriesPerSecond { get; set; } = 100;

    /// <summary>Endpoints one replica delivers to at the same time (each endpoint gets one delivery in flight).</summary>
    public int MaxConcurrentEndpoints { get; set; } = 8;

    /// <summary>Deliveries one endpoint gets in a row before the worker looks at the others again.</summary>
    public int BatchPerEndpoint { get; set; } = 100;

    /// <summary>Endpoints an institution may have.</summary>
    public int MaxEndpointsPerInstitution { get; set; } = 20;

    /// <summary>How much of a receiver's answer is read and kept (the rest is not read).</summary>
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>Allow URLs that resolve to loopback, private, link-local or metadata addresses (tests, closed networks). Off by default.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Only https URLs. Unset: on in Production, off elsewhere.</summary>
    public bool? RequireHttps { get; set; }
}
