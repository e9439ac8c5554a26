namespace Tenantry.Server.Dialects.Envelope;

/// <summary>The <c>version</c> an endpoint puts in its envelopes, errors included (CONTRACT 3).</summary>
public sealed record ApiVersion(string Version)
{
    /// <summary>For endpoints the seeds do not version, and for answers no endpoint produced (unknown routes).</summary>
    public static readonly ApiVersion Default = new("1.0.0");

    public static ApiVersion Of(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<ApiVersion>() ?? Default;
}

public static class ApiVersionEndpointExtensions
{
    public static TBuilder WithApiVersion<TBuilder>(this TBuilder builder, string version) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiVersion(version));
}
