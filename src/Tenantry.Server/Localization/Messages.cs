using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Tenantry.Server.Localization;

/// <summary>
/// Marker for the message catalogue (Messages.resx and its zh, zh-Hant, ja and vi
/// translations): every error message, validation message and enum label on the wire.
/// </summary>
public sealed class Messages
{
    private Messages()
    {
    }
}

public static class LocalizerExtensions
{
    /// <summary>The localized text of <paramref name="key"/>, with <c>{name}</c> placeholders filled from <paramref name="arguments"/>.</summary>
    public static string Text(this IStringLocalizer<Messages> localizer, string key, IReadOnlyDictionary<string, object>? arguments = null)
    {
        var text = localizer[key].Value;
        if (arguments is null)
        {
            return text;
        }
        foreach (var (name, value) in arguments)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return text;
    }
}
