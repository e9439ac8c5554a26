using System.Text.Json;

namespace Tenantry.Application.Common;

/// <summary>Builds the JSON details of an audit event.</summary>
public static class AuditDetails
{
    public static string Of(params (string Name, object? Value)[] fields) =>
        JsonSerializer.Serialize(fields.ToDictionary(f => f.Name, f => f.Value));
}
