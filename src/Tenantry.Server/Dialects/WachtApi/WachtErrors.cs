using System.Text.Json;
using Microsoft.Extensions.Localization;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Server.Dialects.SystemApi;
using Tenantry.Server.Hosting;
using Tenantry.Server.Json;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.WachtApi;

/// <summary>An error in Wacht's shape: the HTTP status and <c>{"message", "errors":[{"message","code"}]}</c>.</summary>
public sealed record WachtError(int Status, string MessageKey, IReadOnlyDictionary<string, object>? Arguments = null, TimeSpan? RetryAfter = null)
    : IResult
{
    public Task WriteAsync(HttpContext http) => ExecuteAsync(http);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var message = httpContext.RequestServices.GetRequiredService<IStringLocalizer<Messages>>().Text(MessageKey, Arguments);
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await using var writer = new Utf8JsonWriter(response.BodyWriter, AnswerJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteStartArray("errors");
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteNumber("code", Status);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}

/// <summary>The one place where failures become Wacht answers.</summary>
public static class WachtErrors
{
    public static WachtError For(DialectError error, TimeSpan? retryAfter) => error switch
    {
        DialectError.Unauthorized => new(401, "Error.InvalidToken"),
        DialectError.Forbidden => new(403, "Error.PermissionDenied"),
        DialectError.NotFound => new(404, "Error.NotFound"),
        DialectError.MethodNotAllowed => new(405, "Error.MethodNotAllowed"),
        DialectError.PayloadTooLarge => new(413, "Error.PayloadTooLarge"),
        DialectError.UnsupportedMediaType => new(415, "Error.UnsupportedMediaType"),
        DialectError.BadRequest => new(400, "Error.BadRequest"),
        DialectError.RateLimited => new(429, "Error.RateLimited", RetryAfter: retryAfter),
        DialectError.DatabaseUnavailable => new(503, "Error.DatabaseUnavailable"),
        _ => new(500, "Error.Internal"),
    };

    public static WachtError Describe(DomainError error) => error switch
    {
        ValidationFailed => new(400, "Error.ValidationFailed"),
        InvalidToken => new(401, "Error.InvalidToken"),
        NotAMember => new(400, "Error.NotAMember"),
        NotAnOrganizationMember => new(400, "Error.NotAnOrganizationMember"),
        NotDefaultEligible => new(400, "Error.NotDefaultEligible"),
        PermissionDenied => new(403, "Error.PermissionDenied"),
        NotFound => new(404, "Error.NotFound"),
        LastOwner => new(403, "Error.LastOwner"),
        SoleOrganizationOwner => new(403, "Error.SoleOrganizationOwner"),
        RateLimited r => new(429, "Error.RateLimited", RetryAfter: r.RetryAfter),
        // Wacht has no codes of its own for the rest: the SYSTEM table's status and message say what happened.
        _ => FromSystem(SystemErrors.Describe(error)),
    };

    private static WachtError FromSystem(SystemError error) => new(error.Status, error.MessageKey, error.Arguments, error.RetryAfter);
}
