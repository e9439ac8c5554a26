using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tenantry.Server.Dialects.Shared.Json;

/// <summary>Timestamps on the wire: UTC, millisecond precision, <c>Z</c> suffix (the form JavaScript's toISOString writes).</summary>
public sealed class UtcTimestampJsonConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTime().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[24];
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        utc.TryFormat(buffer, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
