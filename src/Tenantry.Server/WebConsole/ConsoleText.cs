using System.Globalization;
using Microsoft.Extensions.Localization;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Policies;
using Tenantry.Server.Localization;

namespace Tenantry.Server.WebConsole;

/// <summary>
/// The console's words, from the same message catalogue as the API (<c>catalog/*/console.json</c> for its
/// own labels; errors, enum labels and permission descriptions are the API's own texts).
/// </summary>
public sealed class ConsoleText(IStringLocalizer<Messages> messages)
{
    public string this[string key] => messages.Text("Console." + key);

    public string Format(string key, params (string Name, object Value)[] arguments) =>
        messages.Text("Console." + key, arguments.ToDictionary(a => a.Name, a => a.Value));

    /// <summary>The language of this request: en, zh, zh-Hant, ja or vi.</summary>
    public static string Language => LanguageNegotiation.Map(CultureInfo.CurrentUICulture.Name) ?? LanguageNegotiation.Default;

    /// <summary>An enum's localized label, e.g. <c>Enum.WorkspaceKind.LIVE.Label</c>.</summary>
    public string Label<TEnum>(TEnum value) where TEnum : struct, Enum =>
        messages.Text($"Enum.{typeof(TEnum).Name}.{value.ToString().ToUpperInvariant()}.Label");

    public string Restriction(EligibilityRestriction restriction) => messages.Text("Eligibility." + restriction);

    public string Permission(string permission) => messages.Text("Permission." + permission);

    /// <summary>The message for a failed use case, as the API would word it; a form's field problems are listed separately.</summary>
    public string Error(DomainError error)
    {
        var key = error switch
        {
            NotFound or NotAMember or NotAnInstitutionMember => "Error.NotFound",
            NotEnterable n => "Eligibility." + n.Restriction,
            _ => "Error." + error.GetType().Name,
        };
        var arguments = error switch
        {
            RoleInUse r => new Dictionary<string, object> { ["count"] = r.MemberCount },
            _ => null,
        };
        return messages[key].ResourceNotFound ? messages.Text("Error.Internal") : messages.Text(key, arguments);
    }

    /// <summary>Each problem of a <see cref="ValidationFailed"/>: the field and its localized message.</summary>
    public IReadOnlyList<(string Field, string Message)> Problems(DomainError error) =>
        error is ValidationFailed failed
            ? [.. failed.Errors.Select(f => (f.Field, messages.Text("Validation." + f.Code, f.Arguments)))]
            : [];

    /// <summary>The HTTP status a console page answers with when a use case refuses.</summary>
    public static int Status(DomainError error) => error switch
    {
        NotFound or NotAMember or NotAnInstitutionMember => StatusCodes.Status404NotFound,
        PermissionDenied or NotEnterable or RoleExceedsGrantor => StatusCodes.Status403Forbidden,
        ValidationFailed or InvalidMfaCode or EmailVerificationInvalid or PasswordResetInvalid or CaptchaInvalid => StatusCodes.Status400BadRequest,
        InvalidCredentials or InvalidToken or MfaChallengeInvalid => StatusCodes.Status401Unauthorized,
        RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status409Conflict,
    };
}
