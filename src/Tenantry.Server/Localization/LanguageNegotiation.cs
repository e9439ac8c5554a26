using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Tenantry.Server.Localization;

/// <summary>
/// Picks the response language from <c>Accept-Language</c> as CONTRACT 3 says: among en, zh,
/// zh-Hant, ja and vi, the one with the highest q wins; regional tags map to their language
/// (zh-TW/HK/MO → zh-Hant, zh-CN/SG/Hans → zh); nothing supported → en.
/// </summary>
public static class LanguageNegotiation
{
    public const string Default = "en";

    public static readonly string[] Supported = ["en", "zh", "zh-Hant", "ja", "vi"];

    public static string Negotiate(StringValues acceptLanguage)
    {
        if (StringValues.IsNullOrEmpty(acceptLanguage) || !StringWithQualityHeaderValue.TryParseList(acceptLanguage, out var ranges))
        {
            return Default;
        }
        string? best = null;
        var bestQuality = 0.0;
        foreach (var range in ranges)
        {
            var quality = range.Quality ?? 1.0;
            // Strictly greater: among equal q-values the first listed wins.
            if (quality > bestQuality && Map(range.Value.Value) is { } language)
            {
                best = language;
                bestQuality = quality;
            }
        }
        return best ?? Default;
    }

    /// <summary>The supported language a language tag stands for, or null.</summary>
    public static string? Map(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }
        var subtags = tag.Trim().ToLowerInvariant().Split('-', '_');
        return subtags[0] switch
        {
            "en" => "en",
            "ja" => "ja",
            "vi" => "vi",
            "zh" => IsTraditionalChinese(subtags) ? "zh-Hant" : "zh",
            _ => null,
        };
    }

    private static bool IsTraditionalChinese(string[] subtags)
    {
        foreach (var subtag in subtags.AsSpan(1))
        {
            switch (subtag)
            {
                case "hant" or "tw" or "hk" or "mo":
                    return true;
                case "hans" or "cn" or "sg":
                    return false;
            }
        }
        return false;
    }
}
