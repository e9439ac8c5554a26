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

    public static IRuleBuilderOptions<T, string?> JsonObject<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(json => json is null || IsJsonObject(json)).WithErrorCode(ValidationCodes.InvalidJsonObject);
}
