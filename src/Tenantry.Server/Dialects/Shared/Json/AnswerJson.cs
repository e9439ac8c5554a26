using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tenantry.Server.Dialects.Shared.Json;

/// <summary>
/// How both dialects write JSON answers: straight to the response, or ahead of time into bytes
/// that are kept and replayed into later answers (or sealed for the secure channel).
/// </summary>
internal static class AnswerJson
{
    /// <summary>Non-ASCII text (names, localized messages) is written as is, not as \u escapes.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><paramref name="data"/> as an answer would write it.</summary>
    public static byte[] Serialize<T>(T data, JsonTypeInfo<T> type) => Write(writer => JsonSerializer.Serialize(writer, data, type));

    /// <summary>What <paramref name="write"/> writes, as an answer would.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
