using System.Text.Json;
using Tenantry.Server.Dialects.Shared;


namespace Tenantry.Server.Dialects.WachtApi;

/// <summary>
/// The named values of a Wacht mutation. Wacht's SDK puts ids in the query string, but its
/// forms travel as <c>multipart/form-data</c> or urlencoded and other clients send JSON, so
/// the body is read in all three forms; the query string wins when both name a value. A name
/// given twice in the query, a form or a JSON object is refused (400) rather than guessed at,
/// as are JSON bodies that are not UTF-8 or hold strings no UTF-16 text can (lone surrogates).
/// A name the endpoint declares repeatable (the SDK appends <c>codes</c> once per code) may come
/// several times in a form, or as a JSON array of strings; read it with <see cref="All"/>.
/// </summary>
public sealed class WachtInput
{
    private readonly IQueryCollection _query;
    private readonly Dictionary<string, string?> _body;
    private readonly Dictionary<string, string[]> _lists;

    private WachtInput(IQueryCollection query, Dictionary<string, string?> body, Dictionary<string, string[]> lists)
    {
        _query = query;
        _body = body;
        _lists = lists;
    }

    /// <summary>The value, or null when neither the query nor the body names it. An empty value stays empty.</summary>
    public string? this[string name] => _query.TryGetValue(name, out var value) ? value.ToString() : _body.GetValueOrDefault(name);

    /// <summary>Every value of a repeatable name, in the order sent; empty when it was not sent.</summary>
    public IReadOnlyList<string> All(string name) => Values(name) ?? [];

    /// <summary>Every value of a repeatable name, or null when it was not sent at all (for fields where "not sent" keeps what is there).</summary>
    public IReadOnlyList<string>? Values(string name) =>
        _lists.TryGetValue(name, out var values) ? values : this[name] is { } single ? [single] : null;

    /// <summary>Reads the body; a body it cannot read is a 400 (malformed) or 415 (not JSON or a form) in Wacht's shape.</summary>
    public static async Task<(WachtInput? Input, IResult? Error)> ReadAsync(HttpContext http, params string[] repeatable)
    {
        var request = http.Request;
        if (request.Query.Any(p => p.Value.Count > 1))
        {
            return (null, WachtErrors.For(DialectError.BadRequest, null));
        }
        var body = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lists = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            try
            {
                foreach (var (name, value) in await request.ReadFormAsync(http.RequestAborted))
                {
                    if (repeatable.Contains(name))
                    {
                        lists[name] = [.. value.Select(v => v ?? "")];
                        continue;
                    }
                    if (value.Count > 1)
                    {
                        return (null, WachtErrors.For(DialectError.BadRequest, null));
                    }
                    body[name] = value.ToString();
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // Malformed or truncated multipart.
                return (null, WachtErrors.For(DialectError.BadRequest, null));
            }
        }
        else if (request.ContentLength is not 0 && HasBody(request))
        {
            if (!request.HasJsonContentType())
            {
                return (null, WachtErrors.For(DialectError.UnsupportedMediaType, null));
            }
            if (!await TryReadJsonAsync(http, body, lists, repeatable))
            {
                return (null, WachtErrors.For(DialectError.BadRequest, null));
            }
        }
        return (new WachtInput(request.Query, body, lists), null);
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private static readonly JsonDocumentOptions s_jsonOptions = new() { AllowDuplicateProperties = false };

    // A JSON object (or null); ids may come as strings or numbers.
    private static async Task<bool> TryReadJsonAsync(
        HttpContext http, Dictionary<string, string?> body, Dictionary<string, string[]> lists, string[] repeatable)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, s_jsonOptions, http.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Null)
            {
                return true;
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (repeatable.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.Array)
                {
                    if (property.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                    {
                        return false;
                    }
                    lists[property.Name] = [.. property.Value.EnumerateArray().Select(v => v.GetString()!)];
                    continue;
                }
                body[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name or string that is not UTF-8, or an escaped lone surrogate.
            return false;
        }
    }
}
