using System.Text.Json;

namespace Tenantry.Domain.Workspaces;

/// <summary>Checks for the free-form JSON that workspaces and institutions carry (extraData, metadata).</summary>
public static class JsonText
{
    public const string EmptyObject = "{}";
    public const int MaxLength = 64 * 1024;

    public static bool IsValidJson(string text)
    {
        if (text.Length > MaxLength)
        {
            return false;
        }
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
