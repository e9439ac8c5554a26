using System.Globalization;
using System.Text;
using Tenantry.Application.Audit.List;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Server.WebConsole;

/// <summary>The audit page's filter as typed into the form, and the CSV export of the same selection.</summary>
public static class AuditConsole
{
    /// <summary>The most rows one CSV export holds (newest first).</summary>
    public const int MaxCsvRows = 10_000;

    public static Result<AuditFilter> Filter(string? action, string? actor, string? from, string? to)
    {
        var problems = new List<FieldError>();
        var fromTime = Time("from", from, problems);
        var toTime = Time("to", to, problems);
        if (action is { Length: > 100 })
        {
            problems.Add(new FieldError("action", ValidationCodes.TooLong, new Dictionary<string, object> { ["max"] = 100 }));
        }
        if (actor is { Length: > EntityId.MaxLength })
        {
            problems.Add(new FieldError("actor", ValidationCodes.TooLong, new Dictionary<string, object> { ["max"] = EntityId.MaxLength }));
        }
        return problems.Count > 0
            ? new ValidationFailed(problems)
            : new AuditFilter(Blank(action), Blank(actor), fromTime, toTime);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static DateTime? Time(string field, string? text, List<FieldError> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return DateTime.SpecifyKind(time, DateTimeKind.Utc);
        }
        problems.Add(new FieldError(field, "InvalidQuery"));
        return null;
    }

    /// <summary>
    /// <c>GET /console/workspaces/{id}/audit.csv</c>: the same standing as the page (signed in with the session
    /// cookie, <c>audit.read</c>; a non-member gets 404), the same filter, at most <see cref="MaxCsvRows"/> rows.
    /// </summary>
    public static void MapCsv(WebApplication app) =>
        app.MapGet(ConsoleHosting.Prefix + "/workspaces/{workspaceId}/audit.csv", async (
            string workspaceId, string? action, string? actor, string? from, string? to,
            HttpContext http, WorkspaceAccess access, ListAuditEventsHandler handler, ConsoleText text) =>
        {
            if (await ConsolePage.AuthenticateAsync(http) is not { } caller)
            {
                return Results.Redirect($"{ConsoleHosting.Prefix}/sign-in");
            }
            var standing = await access.CheckAsync(workspaceId, caller, Permissions.AuditRead, http.RequestAborted);
            if (!standing.IsSuccess)
            {
                return Results.Text(text.Error(standing.Error), "text/plain; charset=utf-8", statusCode: ConsoleText.Status(standing.Error));
            }
            var filter = Filter(action, actor, from, to);
            if (!filter.IsSuccess)
            {
                var problems = string.Join("\n", text.Problems(filter.Error).Select(p => $"{p.Field}: {p.Message}"));
                return Results.Text(problems, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }
            var events = await handler.HandleAsync(workspaceId, new PageRequest(1, MaxCsvRows), filter.Value, http.RequestAborted);
            var csv = new StringBuilder("eventId,createdAt,action,actorUserId,targetType,targetId,clientIp,details\r\n");
            foreach (var e in events.Items)
            {
                csv.AppendJoin(',', Cell(e.EventId), Cell(e.CreatedAt.ToString("O", CultureInfo.InvariantCulture)), Cell(e.Action), Cell(e.ActorUserId),
                    Cell(e.TargetType), Cell(e.TargetId), Cell(e.ClientIp), Cell(e.Details)).Append("\r\n");
            }
            return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"audit-{workspaceId}.csv");
        }).ExcludeFromDescription();

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
