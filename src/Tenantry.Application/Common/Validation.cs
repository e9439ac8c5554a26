using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Common;

/// <summary>
/// Error codes of field validation. Each dialect turns a code and its arguments into a
/// localized message; the codes themselves never reach the wire.
/// </summary>
public static class ValidationCodes
{
    public const string Required = "Required";
    public const string TooLong = "TooLong";
    public const string TooShort = "TooShort";
    public const string InvalidEmail = "InvalidEmail";
    public const string InvalidTimezone = "InvalidTimezone";
    public const string InvalidCidr = "InvalidCidr";
    public const string InvalidJson = "InvalidJson";
    public const string InvalidJsonObject = "InvalidJsonObject";
    public const string UnknownValue = "UnknownValue";
    public const string InvalidSlug = "InvalidSlug";
    public const string InvalidUrl = "InvalidUrl";
    public const string TooMany = "TooMany";
    public const string UnknownPermission = "UnknownPermission";
    public const string NothingToUpdate = "NothingToUpdate";
    public const string InvalidId = "InvalidId";
    public const string SlugTaken = "SlugTaken";
    public const string OutOfRange = "OutOfRange";
    public const string NotAnActiveMember = "NotAnActiveMember";
    public const string InvalidPublicKey = "InvalidPublicKey";
    public const string UrlNotAllowed = "UrlNotAllowed";
    public const string HostNotFound = "HostNotFound";
    public const string UnknownEventType = "UnknownEventType";
    public const string ControlCharacters = "ControlCharacters";
}

public static partial class ValidationRules
{
    public static IRuleBuilderOptions<T, string?> Required<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithErrorCode(ValidationCodes.Required);

    public static IRuleBuilderOptions<T, string?> MaxChars<T>(this IRuleBuilder<T, string?> rule, int max) =>
        rule.Must(v => v is null || v.Trim().Length <= max)
            .WithErrorCode(ValidationCodes.TooLong)
            .WithState(_ => Args("max", max));

    public static IRuleBuilderOptions<T, string?> MinChars<T>(this IRuleBuilder<T, string?> rule, int min) =>
        rule.Must(v => v is null || v.Length >= min)
            .WithErrorCode(ValidationCodes.TooShort)
            .WithState(_ => Args("min", min));

    /// <summary>
    /// A name, or any other one-line text (a URL, a segment): no control character at all, that is
    /// none of C0 (U+0000 to U+001F: NUL, tab and line breaks included), DEL (U+007F) or C1
    /// (U+0080 to U+009F). PostgreSQL cannot store NUL; the others garble logs, exports and terminals.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> SingleLineText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || !v.Any(char.IsControl)).WithErrorCode(ValidationCodes.ControlCharacters);

    /// <summary>A description: text that may span lines, so tab, LF and CR are kept; every other control character is refused.</summary>
    public static IRuleBuilderOptions<T, string?> MultiLineText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || !v.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'))).WithErrorCode(ValidationCodes.ControlCharacters);

    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, params string[] allowed) =>
        rule.Must(v => v is null || allowed.Contains(v, StringComparer.Ordinal))
            .WithErrorCode(ValidationCodes.UnknownValue)
            .WithState(_ => Args("allowed", string.Join(", ", allowed)));

    public static Dictionary<string, object> Args(string name, object value) => new() { [name] = value };

    /// <summary>Runs <paramref name="validator"/>; null when the input is valid.</summary>
    public static async Task<ValidationFailed?> CheckAsync<T>(this IValidator<T> validator, T input, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(input, cancellationToken);
        return result.IsValid ? null : new ValidationFailed(result.Errors.Select(ToFieldError).ToList());
    }

    private static FieldError ToFieldError(ValidationFailure failure) =>
        new(FieldPath(failure.PropertyName), failure.ErrorCode, failure.CustomState as IReadOnlyDictionary<string, object>);

    /// <summary>
    /// "PolicyConfig.Value.IpAllowlist[1]" → "$.PolicyConfig.IpAllowlist[1]": the
    /// <see cref="Optional{T}.Value"/> hop of partial updates is not part of the wire shape.
    /// Each dialect then renames the segments to its own casing.
    /// </summary>
    public static string FieldPath(string propertyName) =>
        string.IsNullOrEmpty(propertyName) ? "$" : "$." + OptionalValueHop().Replace(propertyName, string.Empty);

    [GeneratedRegex(@"\.Value(?=[.\[]|$)")]
    private static partial Regex OptionalValueHop();
}
