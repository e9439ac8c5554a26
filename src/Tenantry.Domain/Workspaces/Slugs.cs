using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tenantry.Domain.Workspaces;

/// <summary>URL-friendly names: lowercase ASCII letters, digits and single hyphens.</summary>
public static class Slugs
{
    public const int MaxLength = 64;

    public static bool IsValid(string? slug) =>
        !string.IsNullOrEmpty(slug)
        && slug.Length <= MaxLength
        && slug[0] != '-' && slug[^1] != '-'
        && !slug.Contains("--", StringComparison.Ordinal)
        && slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>A slug derived from a display name, with a random suffix so it is unique without a lookup.</summary>
    public static string FromName(string name)
    {
        var builder = new StringBuilder(MaxLength);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(lower);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
            if (builder.Length >= MaxLength - 8)
            {
                break;
            }
        }
        var stem = builder.ToString().Trim('-');
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        return stem.Length == 0 ? $"ws-{suffix}" : $"{stem}-{suffix}";
    }
}
