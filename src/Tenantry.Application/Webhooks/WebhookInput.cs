using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Common;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks;

/// <summary>The input rules shared by creating and editing an endpoint.</summary>
public static class WebhookInput
{
    public static IRuleBuilderOptions<T, string?> WebhookUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Required().MaxChars(WebhookEndpoint.MaxUrlLength).SingleLineText().Must(WebhookUrls.IsWellFormed).WithErrorCode(ValidationCodes.InvalidUrl);

    public static IRuleBuilderOptions<T, string?> WebhookDescription<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaxChars(WebhookEndpoint.MaxDescriptionLength).MultiLineText();

    /// <summary>Each entry must be a known event type; it is reported at its index.</summary>
    public static void EventTypeList<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IEnumerable<string?>?>> list) =>
        validator.RuleForEach<string?>(list!).Must(WebhookEventTypes.IsKnown).WithErrorCode(ValidationCodes.UnknownEventType);

    /// <summary>The URL's address check (DNS), as a field error on <c>url</c>, or null when it may be used.</summary>
    public static async Task<ValidationFailed?> CheckUrlAsync(WebhookUrls urls, string url, CancellationToken cancellationToken) =>
        await urls.CheckAsync(url, cancellationToken) switch
        {
            WebhookUrls.Verdict.Allowed => null,
            WebhookUrls.Verdict.Malformed => new ValidationFailed(new FieldError("$.Url", ValidationCodes.InvalidUrl)),
            WebhookUrls.Verdict.HostNotFound => new ValidationFailed(new FieldError("$.Url", ValidationCodes.HostNotFound)),
            _ => new ValidationFailed(new FieldError("$.Url", ValidationCodes.UrlNotAllowed)),
        };

    public static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
