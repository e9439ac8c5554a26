using System.Text.Json;
using FluentValidation;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Common;

/// <summary>Rules for public/private metadata: a JSON object, of bounded size.</summary>
public static class MetadataRules
{
    public static bool IsJsonObject(string? json)
    {
        if (json is null || json.Length > JsonText.MaxLength)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>True when a name or string anywhere in <paramref name="json"/> holds U+0000, which PostgreSQL's jsonb cannot store.</summary>
    public static bool HoldsNul(string json)
    {
        using var document = JsonDocument.Parse(json);
        return HoldsNul(document.RootElement);
    }

    private static bool HoldsNul(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!.Contains('\0', StringComparison.Ordinal),
        JsonValueKind.Object => element.EnumerateObject().Any(p => p.Name.Contains('\0', StringComparison.Ordinal) || HoldsNul(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HoldsNul),
        _ => false,
    };

    /// <summary>A JSON object (or null, which resets), with no NUL in it: the same on SQLite as on PostgreSQL.</summary>
    public static IRuleBuilderOptions<T, string?> JsonObject<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(json => json is null || IsJsonObject(json)).WithErrorCode(ValidationCodes.InvalidJsonObject)
            .Must(json => json is null || !IsJsonObject(json) || !HoldsNul(json)).WithErrorCode(ValidationCodes.ControlCharacters);
}
