using System.Text.Unicode;
using Tenantry.Domain.Common;

namespace Tenantry.Server.Dialects.Shared.Json;

/// <summary>
/// A JSON body of a dialect's request must be UTF-8 throughout (RFC 8259 8.1). The serializer
/// reads only the strings it binds, so bytes that are not UTF-8 in a property it skips (or in a
/// name it never matches) would otherwise pass unnoticed, and a reader that does decode them
/// throws an <see cref="InvalidOperationException"/> rather than a <see cref="System.Text.Json.JsonException"/>.
/// Here the body is read once (Kestrel's body limit bounds it: more answers 413), checked, and handed on from memory; otherwise the dialect answers its 400
/// (SYSTEM: <c>4000</c> naming <c>$</c>). Runs after authentication, so no anonymous body is read.
/// </summary>
public sealed class Utf8JsonBodies(RequestDelegate next, DialectRouting dialects)
{
    // Not async itself: a request without a JSON body (every GET) passes on without a state machine.
    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        return request.ContentLength is 0 || !request.HasJsonContentType() || dialects.Of(http) is null
            || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0)
            ? next(http)
            : CheckBodyAsync(http, request);
    }

    private async Task CheckBodyAsync(HttpContext http, HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, http.RequestAborted);
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        if (!Utf8.IsValid(bytes.Span))
        {
            await DialectErrors.WriteAsync(http, DialectError.BadRequest, field: new FieldError("$", "InvalidBody"));
            return;
        }
        body.Position = 0;
        request.Body = body;
        request.ContentLength = body.Length;
        await next(http);
    }
}
