using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Tenantry.Server.Localization;

/// <summary>
/// Sets the request's UI culture to the language <see cref="LanguageNegotiation"/> picks from
/// <c>Accept-Language</c> (formatting stays English) and names it in <c>Content-Language</c>.
/// </summary>
/// <remarks>
/// What ASP.NET Core's request localization did here, without its per-request provider loop:
/// one provider and five cultures, and a header value seen before costs one dictionary lookup
/// instead of a parse. Clients send a handful of distinct values, so the first
/// <see cref="MaxRemembered"/> are remembered and later new ones are negotiated every time.
/// </remarks>
public sealed class ResponseLanguage(RequestDelegate next)
{
    public const int MaxRemembered = 1024;

    private static readonly CultureInfo s_formatting = CultureInfo.GetCultureInfo(LanguageNegotiation.Default);
    private static readonly ConcurrentDictionary<string, CultureInfo> s_negotiated = new(StringComparer.Ordinal);
    private static int s_remembered;

    public Task InvokeAsync(HttpContext http)
    {
        var culture = CultureFor(http.Request.Headers.AcceptLanguage);
        CultureInfo.CurrentCulture = s_formatting;
        CultureInfo.CurrentUICulture = culture;
        http.Response.Headers.ContentLanguage = culture.Name;
        return next(http);
    }

    public static CultureInfo CultureFor(StringValues acceptLanguage)
    {
        if (acceptLanguage.Count != 1)
        {
            // Absent, or repeated headers (rare): negotiated as they are, not remembered.
            return CultureInfo.GetCultureInfo(LanguageNegotiation.Negotiate(acceptLanguage));
        }
        var value = acceptLanguage[0]!;
        if (s_negotiated.TryGetValue(value, out var known))
        {
            return known;
        }
        var culture = CultureInfo.GetCultureInfo(LanguageNegotiation.Negotiate(acceptLanguage));
        if (Interlocked.Increment(ref s_remembered) <= MaxRemembered)
        {
            s_negotiated.TryAdd(value, culture);
        }
        return culture;
    }
}
