using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.SystemApi;
using Tenantry.Server.Dialects.WachtApi;

namespace Tenantry.Server.Hosting;

/// <summary>Failures that arise outside any use case: in the gateway, the host or the framework.</summary>
public enum DialectError
{
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
    BadRequest,
    RateLimited,
    DatabaseUnavailable,
    Internal,
}

/// <summary>Writes a host-level failure in the shape of the request's dialect (ProblemDetails outside both APIs).</summary>
public static class DialectErrors
{
    public static async Task WriteAsync(HttpContext http, DialectError error, TimeSpan? retryAfter = null, FieldError? field = null)
    {
        if (http.Response.HasStarted)
        {
            return;
        }
        switch (DialectRouting.Of(http))
        {
            case Dialect.System:
                await SystemErrors.For(error, retryAfter, field).WriteAsync(http);
                break;
            case Dialect.Wacht:
                await WachtErrors.For(error, retryAfter).WriteAsync(http);
                break;
            default:
                http.Response.StatusCode = StatusOf(error);
                if (retryAfter is { } wait)
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                await http.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = http });
                break;
        }
    }

    public static int StatusOf(DialectError error) => error switch
    {
        DialectError.Unauthorized => 401,
        DialectError.Forbidden => 403,
        DialectError.NotFound => 404,
        DialectError.MethodNotAllowed => 405,
        DialectError.PayloadTooLarge => 413,
        DialectError.UnsupportedMediaType => 415,
        DialectError.BadRequest => 400,
        DialectError.RateLimited => 429,
        DialectError.DatabaseUnavailable => 503,
        _ => 500,
    };
}
