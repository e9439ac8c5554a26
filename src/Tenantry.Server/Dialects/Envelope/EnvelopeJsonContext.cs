using System.Text.Json;
using System.Text.Json.Serialization;
using Tenantry.Server.Dialects.Shared.Json;

namespace Tenantry.Server.Dialects.Envelope;

/// <summary>Source-generated serializers for what the envelope itself writes (the problems of a <c>4000</c>, a refusal's reason).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    Converters = [typeof(UtcTimestampJsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<FieldProblem>))]
[JsonSerializable(typeof(ErrorReason))]
internal sealed partial class EnvelopeJsonContext : JsonSerializerContext;
