using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Tenantry.Domain.Common;

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
        return DialectErrors.WriteAsync(http, error, field: error == DialectError.BadRequest ? UnparsedQueryValue(http) : null);
    }

    /// <summary>
    /// The query parameter whose value is not a number, when there is one: the compile-time request
    /// delegates answer an optional number that does not parse (<c>?page=abc</c>) with a bare 400,
    /// where a required one throws and <see cref="DialectExceptionHandler"/> names it.
    /// </summary>
    private static FieldError? UnparsedQueryValue(HttpContext http)
    {
        foreach (var parameter in http.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [])
        {
            var type = parameter.ParameterInfo.ParameterType;
            if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(int)
                && http.Request.Query.TryGetValue(parameter.Name, out var value) && !string.IsNullOrEmpty(value)
                && !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                return new FieldError(parameter.Name, "InvalidQuery");
            }
        }
        return null;
    }
}
