using Microsoft.AspNetCore.Diagnostics;

namespace Tenantry.Server.Dialects.Shared;

/// <summary>Gives empty error answers of the framework (no route, wrong method, ...) a body in the request's dialect.</summary>
public static class DialectStatusCodePages
{
    public static Task Handle(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (http.RequestServices.GetRequiredService<DialectRouting>().Of(http) is null)
        {
            return context.Next(http);
        }
        var error = http.Response.StatusCode switch
        {
            401 => DialectError.Unauthorized,
            403 => DialectError.Forbidden,
            404 => DialectError.NotFound,
            405 => DialectError.MethodNotAllowed,
            413 => DialectError.PayloadTooLarge,
            415 => DialectError.UnsupportedMediaType,
            429 => DialectError.RateLimited,
            503 => DialectError.DatabaseUnavailable,
            >= 400 and < 500 => DialectError.BadRequest,
            _ => DialectError.Internal,
        };
        return DialectErrors.WriteAsync(http, error);
    }
}
