using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tenantry.Server.Dialects.Shared.Json;

namespace Tenantry.Server.Dialects.Envelope;

/// <summary>
/// A request feature set by a gateway that encrypts answers (the SYSTEM secure channel): the
/// envelope's <c>data</c> is written through it instead of in the clear.
/// </summary>
public interface IEnvelopeDataSealer
{
    /// <summary>Writes <paramref name="plaintext"/> (the serialized data) sealed, as one JSON value.</summary>
    void WriteSealed(Utf8JsonWriter writer, byte[] plaintext);
}

/// <summary>Writes <c>{version, timestamp, success, code, message, data}</c> straight to the response.</summary>
public static class EnvelopeWriter
{
    public static Task WriteAsync<T>(HttpContext http, int status, string code, string message, T? data, JsonTypeInfo<T> dataType) =>
        WriteAsync(http, status, code, message, data is null ? null : writer => JsonSerializer.Serialize(writer, data, dataType));

    /// <summary>The envelope around <paramref name="writeData"/> (null: <c>"data": null</c>).</summary>
    public static async Task WriteAsync(HttpContext http, int status, string code, string message, Action<Utf8JsonWriter>? writeData)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();

        await using (var writer = new Utf8JsonWriter(response.BodyWriter, AnswerJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("version", ApiVersion.Of(http).Version);
            writer.WriteNumber("timestamp", clock.GetUtcNow().ToUnixTimeMilliseconds());
            writer.WriteBoolean("success", status < 400);
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WritePropertyName("data");
            if (writeData is null)
            {
                writer.WriteNullValue();
            }
            else if (http.Features.Get<IEnvelopeDataSealer>() is { } sealer)
            {
                sealer.WriteSealed(writer, AnswerJson.Write(writeData));
            }
            else
            {
                writeData(writer);
            }
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(http.RequestAborted);
    }
}
