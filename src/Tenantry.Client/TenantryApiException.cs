using System.Net;
using System.Text.Json;

namespace Tenantry.Client;

/// <summary>One problem with one input (a <c>4000</c> answer): a JSON path such as <c>$.email</c>, or a query parameter.</summary>
public sealed record TenantryFieldError(string Field, string Message);

/// <summary>
/// Tenantry answered with an error. <see cref="Code"/> is the contract's code (<c>4040</c>,
/// <c>WORKSPACE.LAST_OWNER</c>, ...; never localized), <see cref="Exception.Message"/> the server's
/// message in the requested language.
/// </summary>
public class TenantryApiException : Exception
{
    public TenantryApiException(int statusCode, string code, string message, IReadOnlyList<TenantryFieldError>? fields = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Code = code;
        Fields = fields ?? [];
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>The contract's error code.</summary>
    public string Code { get; }

    /// <summary>For <c>4000</c>: every problem found.</summary>
    public IReadOnlyList<TenantryFieldError> Fields { get; }

    /// <summary>For <c>4290</c>: when to try again.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsNotFound => StatusCode == (int)HttpStatusCode.NotFound;

    public bool IsUnauthorized => StatusCode == (int)HttpStatusCode.Unauthorized;

    public bool IsForbidden => StatusCode == (int)HttpStatusCode.Forbidden;

    /// <summary>Reads an error answer: the envelope (<c>code</c>, <c>message</c>, <c>data</c> as field errors), or, for anything else, the status.</summary>
    public static TenantryApiException FromResponse(int status, string? body, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? inner = null)
    {
        TimeSpan? retryAfter = null;
        if (headers is not null && headers.TryGetValue("Retry-After", out var values) && int.TryParse(values.FirstOrDefault(), out var seconds))
        {
            retryAfter = TimeSpan.FromSeconds(seconds);
        }
        try
        {
            using var json = JsonDocument.Parse(body ?? string.Empty);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
            {
                var fields = new List<TenantryFieldError>();
                if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in data.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("field", out var field) && item.TryGetProperty("message", out var text))
                        {
                            fields.Add(new TenantryFieldError(field.GetString() ?? "$", text.GetString() ?? string.Empty));
                        }
                    }
                }
                var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : code.GetString()!;
                return new TenantryApiException(status, code.GetString()!, message, fields, retryAfter, inner);
            }
        }
        catch (JsonException)
        {
        }
        return new TenantryApiException(status, status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"Tenantry answered HTTP {status}.", null, retryAfter, inner);
    }
}

/// <summary>The password was right, but the account has MFA: complete the sign-in with <see cref="TenantryClient.CompleteMfaSignInAsync"/>.</summary>
public sealed class TenantryMfaRequiredException(string challengeId, string message) : TenantryApiException(200, "AUTH.MFA_REQUIRED", message)
{
    public string ChallengeId { get; } = challengeId;
}
