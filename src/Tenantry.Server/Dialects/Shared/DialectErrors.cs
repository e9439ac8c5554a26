using Tenantry.Domain.Common;

namespace Tenantry.Server.Dialects.Shared;

/// <summary>Failures that arise outside any use case: in the gateway, the host or the framework.</summary>
public enum DialectError
{
    Unauthorized,
    Forbidden,
    /// <summary>A cookie-authenticated state change from another origin (CSRF): 403.</summary>
    CrossSiteRequest,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
    BadRequest,
    RateLimited,
    DatabaseUnavailable,
    Internal,
}

/// <summary>Writes a host-level failure in the shape of the request's dialect (ProblemDetails outside every API).</summary>
public static class DialectErrors
{
    public static async Task WriteAsync(HttpContext http, DialectError error, TimeSpan? retryAfter = null, FieldError? field = null)
    {
        if (http.Response.HasStarted)
        {
            return;
        }
        if (http.RequestServices.GetRequiredService<DialectRouting>().Of(http) is { } dialect)
        {
            await dialect.WriteErrorAsync(http, error, retryAfter, field);
            return;
        }
        http.Response.StatusCode = StatusOf(error);
        if (retryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds(wait);
        }
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http });
    }

    /// <summary>A use case's failure met outside an endpoint (an authorization policy's decision), in the request's dialect.</summary>
    public static Task WriteAsync(HttpContext http, DomainError error)
    {
        if (http.Response.HasStarted)
        {
            return Task.CompletedTask;
        }
        return http.RequestServices.GetRequiredService<DialectRouting>().Of(http) is { } dialect
            ? dialect.WriteErrorAsync(http, error)
            : WriteAsync(http, DialectError.Forbidden);
    }

    /// <summary>The HTTP status every dialect gives a host-level failure.</summary>
    public static int StatusOf(DialectError error) => error switch
    {
        DialectError.Unauthorized => 401,
        DialectError.Forbidden or DialectError.CrossSiteRequest => 403,
        DialectError.NotFound => 404,
        DialectError.MethodNotAllowed => 405,
        DialectError.PayloadTooLarge => 413,
        DialectError.UnsupportedMediaType => 415,
        DialectError.BadRequest => 400,
        DialectError.RateLimited => 429,
        DialectError.DatabaseUnavailable => 503,
        _ => 500,
    };

    /// <summary><c>Retry-After</c> in whole seconds, at least one.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
