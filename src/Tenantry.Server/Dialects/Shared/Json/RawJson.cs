using System.Text.Json;

namespace Tenantry.Server.Dialects.Shared.Json;

/// <summary>Stored JSON text (metadata) in and out of wire shapes, as JSON values rather than strings.</summary>
public static class RawJson
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A metadata value of a request as the JSON text the use case validates; JSON null means "reset".</summary>
    public static string? Text(JsonElement? value) => value is { ValueKind: not JsonValueKind.Null } element ? element.GetRawText() : null;
}
