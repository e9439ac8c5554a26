using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Tenantry.Application.Accounts.CurrentSession;
using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi;

/// <summary>
/// How Wacht endpoints answer. Success: <c>{"status":200,"message":"","data":...,"session":{...},"errors":[]}</c>
/// with the caller's session as it is after the request, which the endpoint reads before it builds
/// the answer (<see cref="WachtSessions"/>); failure: <see cref="WachtErrors"/>.
/// </summary>
public static class WachtResults
{
    public static IResult Ok<T>(T data, WachtSession session) => new WachtOkResult(writer => WachtOkResult.Write(writer, data), session);

    /// <summary>A success whose <c>data</c> was serialized earlier (<see cref="AnswerJson.Serialize{T}"/>), for answers kept and replayed.</summary>
    public static IResult OkJson(byte[] data, WachtSession session) => new WachtOkResult(writer => writer.WriteRawValue(data, skipInputValidation: true), session);

    public static IResult Error(DomainError error) => WachtErrors.Describe(error);

    /// <summary>
    /// After the caller's own session was signed out: the cookie is expired and the answer is the session the browser has now,
    /// one without a sign-in, which <c>GET /session</c> keeps answering (Wacht's SDK reloads it after a sign-out).
    /// </summary>
    public static IResult SignedOut(HttpContext http)
    {
        SessionCookie.Expire(http);
        return Ok(WachtSession.Anonymous, WachtSession.Anonymous);
    }

    /// <summary>
    /// A Wacht mutation: reads the body (JSON, urlencoded or multipart), runs the use case, and
    /// answers its error, or the session after it (<paramref name="answerWithSession"/>, as the
    /// switches do) or no data.
    /// </summary>
    public static async Task<IResult> MutationAsync(
        HttpContext http, WachtSessions sessions, Func<WachtInput, Task<Result>> handle, bool answerWithSession)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var result = await handle(input!);
        if (!result.IsSuccess)
        {
            return Error(result.Error);
        }
        var session = await sessions.CurrentAsync(http);
        return answerWithSession ? Ok(session, session) : Ok<object?>(null, session);
    }
}

internal sealed class WachtOkResult(Action<Utf8JsonWriter> writeData, WachtSession session) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, AnswerJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("status", StatusCodes.Status200OK);
            writer.WriteString("message", string.Empty);
            writer.WritePropertyName("data");
            writeData(writer);
            writer.WritePropertyName("session");
            writer.WriteRawValue(Rendered(session), skipInputValidation: true);
            writer.WriteStartArray("errors");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    // A session block is rendered once: WachtSessions gives the same instance while the session and
    // memberships snapshots it comes from stay the same, and an entry lives as long as that instance.
    private static readonly ConditionalWeakTable<WachtSession, byte[]> s_renderedSessions = new();

    private static byte[] Rendered(WachtSession session) =>
        s_renderedSessions.GetValue(session, static s => AnswerJson.Serialize(s, WachtJsonContext.Default.WachtSession));

    internal static void Write<T>(Utf8JsonWriter writer, T? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        JsonSerializer.Serialize(writer, value, WachtJsonContext.TypeInfo<T>());
    }
}

/// <summary>The caller's session block, read after the use case ran so that it shows its effect.</summary>
public sealed class WachtSessions(GetCurrentSessionHandler handler)
{
    // One wire session per overview: the handler gives the same overview while nothing changed, so the
    // block (and its rendering, WachtOkResult) is built once per session and memberships snapshot.
    private static readonly ConditionalWeakTable<SessionOverview, WachtSession> s_sessions = new();

    public async Task<WachtSession> CurrentAsync(HttpContext http) =>
        s_sessions.GetValue(await handler.HandleAsync(http.Caller(), http.RequestAborted), WachtSession.From);

    /// <summary>
    /// For the routes a browser calls before it signs in (and after it signs out): the session the credential names when it
    /// authenticates, else <see cref="WachtSession.Anonymous"/>. A credential that does not authenticate (revoked by a sign-out,
    /// expired, malformed) is no error here.
    /// </summary>
    public async Task<WachtSession> CurrentOrAnonymousAsync(HttpContext http)
    {
        var authentication = await http.AuthenticateAsync(AuthenticationSchemes.SessionToken);
        if (!authentication.Succeeded)
        {
            return WachtSession.Anonymous;
        }
        http.User = authentication.Principal;
        return await CurrentAsync(http);
    }
}
