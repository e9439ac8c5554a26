using System.Net;
using System.Text.Json;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>An HTTP answer with its JSON body parsed, and assertions about the SYSTEM envelope.</summary>
public sealed class ApiResponse(HttpResponseMessage response, string body)
{
    private static readonly string[] s_envelopeKeys = ["version", "timestamp", "success", "code", "message", "data"];
    private static readonly HashSet<string> s_codesWithReason = ["WORKSPACE.NOT_ENTERABLE", "WORKSPACE.POLICY_LOCKS_OUT_CALLER"];

    public HttpStatusCode Status => response.StatusCode;
    public HttpResponseMessage Message => response;
    public string Body => body;
    public JsonElement Json { get; } = string.IsNullOrEmpty(body) ? default : JsonDocument.Parse(body).RootElement.Clone();

    public string Code => Json.GetProperty("code").GetString()!;
    public string MessageText => Json.GetProperty("message").GetString()!;
    public string Version => Json.GetProperty("version").GetString()!;
    public JsonElement Data => Json.GetProperty("data");

    public string? Header(string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues) : null;

    /// <summary>Asserts the status, the code and the exact envelope shape; returns <c>data</c>.</summary>
    public JsonElement AssertEnvelope(HttpStatusCode status, string code, string? version = null)
    {
        Assert.True(status == Status, $"Expected HTTP {(int)status} {code} but got {(int)Status}: {body}");
        Assert.Equal(JsonValueKind.Object, Json.ValueKind);
        Assert.Equal(s_envelopeKeys, Json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(code, Code);
        Assert.Equal((int)status < 400, Json.GetProperty("success").GetBoolean());
        Assert.Equal(JsonValueKind.String, Json.GetProperty("message").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(MessageText));
        // Epoch milliseconds (after 2020): some tests run the server on a moved clock, so only the unit is checked here.
        Assert.True(Json.GetProperty("timestamp").GetInt64() > 1_577_836_800_000);
        if (version is not null)
        {
            Assert.Equal(version, Version);
        }
        if ((int)status >= 400 && s_codesWithReason.Contains(code))
        {
            // A refusal that says why: data is exactly {"reason": "..."}.
            Assert.Equal(["reason"], Data.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.False(string.IsNullOrEmpty(Data.GetProperty("reason").GetString()));
        }
        else if ((int)status >= 400 && code != "4000")
        {
            Assert.Equal(JsonValueKind.Null, Data.ValueKind);
        }
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return Data;
    }

    public JsonElement AssertOk(string? version = null) => AssertEnvelope(HttpStatusCode.OK, "2000", version);

    /// <summary>Asserts a <c>4000</c> naming <paramref name="field"/>; returns that problem's message.</summary>
    public string AssertValidationError(string field)
    {
        var data = AssertEnvelope(HttpStatusCode.BadRequest, "4000");
        Assert.Equal(JsonValueKind.Array, data.ValueKind);
        var problem = data.EnumerateArray().FirstOrDefault(p => p.GetProperty("field").GetString() == field);
        Assert.True(problem.ValueKind == JsonValueKind.Object, $"No problem for field {field} in {body}");
        var message = problem.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    public override string ToString() => $"{(int)Status} {body}";
}
