using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Tenantry.Domain.Common;

namespace Tenantry.Server.Dialects.Shared.Json;

/// <summary>
/// Base of partial-update bodies: remembers which properties the JSON contained, so that
/// <c>{}</c> (leave alone) and <c>{"x": null}</c> (clear) differ. The values themselves are
/// read by the serializer as usual, so type errors keep their full JSON path.
/// </summary>
public abstract class PatchRequest
{
    private readonly HashSet<string> _present = new(StringComparer.Ordinal);

    /// <summary>The field as a partial-update value: absent unless the JSON named it.</summary>
    public Optional<T> Field<T>(string propertyName, T value) => _present.Contains(propertyName) ? new Optional<T>(true, value) : default;

    internal void MarkPresent(string propertyName) => _present.Add(propertyName);

    /// <summary>Serializer contract modifier: every property set on a <see cref="PatchRequest"/> is recorded as present.</summary>
    public static void TrackPresence(JsonTypeInfo typeInfo)
    {
        if (!typeof(PatchRequest).IsAssignableFrom(typeInfo.Type) || typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        foreach (var property in typeInfo.Properties)
        {
            if (property.Set is not { } set || property.AttributeProvider is not MemberInfo member)
            {
                continue;
            }
            var name = member.Name;
            property.Set = (target, value) =>
            {
                ((PatchRequest)target).MarkPresent(name);
                set(target, value);
            };
        }
    }
}
