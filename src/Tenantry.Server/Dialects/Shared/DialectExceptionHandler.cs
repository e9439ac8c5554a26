using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Tenantry.Application.Common;
using Tenantry.Domain.Common;

namespace Tenantry.Server.Dialects.Shared;

/// <summary>
/// Last line of defence: every exception in a dialect's request becomes that dialect's
/// error. Body binding failures are 4xx; an unreachable database is 503; anything else is a
/// 500 with a generic message (details go to the log, never to the client).
/// </summary>
public sealed partial class DialectExceptionHandler(DialectRouting dialects, ILogger<DialectExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            httpContext.Response.StatusCode = 499;
            return true;
        }
        var (error, field) = Classify(exception);
        switch (error)
        {
            case DialectError.Internal:
                LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
                break;
            case DialectError.DatabaseUnavailable:
                LogDatabaseUnavailable(logger, exception.GetBaseException().Message);
                break;
        }
        if (dialects.Of(httpContext) is null)
        {
            return false;
        }
        // The exception middleware clears the endpoint; the answer still carries that endpoint's API version.
        if (httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint is { } endpoint)
        {
            httpContext.SetEndpoint(endpoint);
        }
        await DialectErrors.WriteAsync(httpContext, error, field: field);
        return true;
    }

    public static (DialectError Error, FieldError? Field) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (DialectError.PayloadTooLarge, null),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (DialectError.UnsupportedMediaType, null),
        BadHttpRequestException { InnerException: JsonException json } => (DialectError.BadRequest, new FieldError(json.Path ?? "$", "InvalidBody")),
        BadHttpRequestException b when b.Message.Contains("no body was provided", StringComparison.Ordinal)
            || b.Message.Contains("was not provided from body", StringComparison.Ordinal) => (DialectError.BadRequest, new FieldError("$", "BodyRequired")),
        BadHttpRequestException b when UnboundParameter().Match(b.Message) is { Success: true } m => (DialectError.BadRequest, new FieldError(m.Groups[1].Value, "InvalidQuery")),
        BadHttpRequestException => (DialectError.BadRequest, null),
        _ when InfrastructureFailures.IsDatabaseUnavailable(exception) => (DialectError.DatabaseUnavailable, null),
        _ => (DialectError.Internal, null),
    };

    // "Failed to bind parameter "int page" from "abc"." (route and query values that do not parse).
    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "\S+ (\w+)" from """)]
    private static partial System.Text.RegularExpressions.Regex UnboundParameter();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string reason);
}
