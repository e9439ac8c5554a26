using System.Text.Json;
using Microsoft.Extensions.Localization;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Policies;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.WachtApi;

/// <summary>
/// An error in Wacht's shape: the HTTP status and <c>{"message", "errors":[{"message","code"}]}</c>;
/// a refusal that has a machine-readable kind (the eligibility type of a workspace that cannot be
/// entered) also carries it as <c>errors[0].type</c>.
/// </summary>
public sealed record WachtError(
    int Status, string MessageKey, IReadOnlyDictionary<string, object>? Arguments = null, TimeSpan? RetryAfter = null, string? Type = null)
    : IResult
{
    /// <summary>Also <c>success: false</c> and the message as <c>error</c>, which is what Cap's widget reads from a failed redeem.</summary>
    public bool ForCapWidget { get; init; }

    public Task WriteAsync(HttpContext http) => ExecuteAsync(http);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var message = httpContext.RequestServices.GetRequiredService<IStringLocalizer<Messages>>().Text(MessageKey, Arguments);
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = DialectErrors.RetryAfterSeconds(wait);
        }
        await using var writer = new Utf8JsonWriter(response.BodyWriter, AnswerJson.WriterOptions);
        writer.WriteStartObject();
        if (ForCapWidget)
        {
            writer.WriteBoolean("success", false);
            writer.WriteString("error", message);
        }
        writer.WriteString("message", message);
        writer.WriteStartArray("errors");
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteNumber("code", Status);
        if (Type is not null)
        {
            writer.WriteString("type", Type);
        }
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}

/// <summary>
/// The one place where failures become Wacht answers: every domain error and every host-level
/// failure. Wacht's clients read the HTTP status (also in <c>errors[0].code</c>) and the message.
/// </summary>
public static class WachtErrors
{
    /// <summary>A Wacht way in that Tenantry does not have (usernames, phones, email codes or links, SSO, passkeys): 400, saying what there is.</summary>
    public static readonly WachtError MethodUnavailable = new(400, "Wacht.MethodUnavailable");

    /// <summary>An account has its one address: it can be verified, not added to, removed or replaced.</summary>
    public static readonly WachtError OneEmailAddress = new(400, "Wacht.OneEmailAddress");

    /// <summary>
    /// A management change the domain does not make (organization and workspace deletion, custom organization roles): 400,
    /// saying so, to those who could otherwise make it.
    /// </summary>
    public static readonly WachtError ChangeUnavailable = new(400, "Wacht.ChangeUnavailable");

    public static WachtError For(DialectError error, TimeSpan? retryAfter) => error switch
    {
        DialectError.Unauthorized => new(401, "Error.InvalidToken"),
        DialectError.Forbidden => new(403, "Error.PermissionDenied"),
        DialectError.CrossSiteRequest => new(403, "Error.CrossSiteRequest"),
        DialectError.NotFound => new(404, "Error.NotFound"),
        DialectError.MethodNotAllowed => new(405, "Error.MethodNotAllowed"),
        DialectError.PayloadTooLarge => new(413, "Error.PayloadTooLarge"),
        DialectError.UnsupportedMediaType => new(415, "Error.UnsupportedMediaType"),
        DialectError.BadRequest => new(400, "Error.BadRequest"),
        DialectError.RateLimited => new(429, "Error.RateLimited", RetryAfter: retryAfter),
        DialectError.DatabaseUnavailable => new(503, "Error.DatabaseUnavailable"),
        _ => new(500, "Error.Internal"),
    };

    /// <summary>An organization policy as the SDK's update form names it.</summary>
    private static string PolicyField(InstitutionPolicy policy) => policy switch
    {
        InstitutionPolicy.EnforceMfa => "enforce_mfa",
        InstitutionPolicy.IpAllowlist => "whitelisted_ips",
        _ => "auto_assigned_workspace_id",
    };

    public static WachtError Describe(DomainError error) => error switch
    {
        ValidationFailed => new(400, "Error.ValidationFailed"),
        InvalidToken => new(401, "Error.InvalidToken"),
        InvalidCredentials => new(401, "Error.InvalidCredentials"),
        AccountDisabled => new(403, "Error.AccountDisabled"),
        MfaChallengeInvalid => new(401, "Error.MfaChallengeInvalid"),
        InvalidMfaCode => new(400, "Error.InvalidMfaCode"),
        EmailVerificationInvalid => new(400, "Error.EmailVerificationInvalid"),
        PasswordResetInvalid => new(400, "Error.PasswordResetInvalid"),
        CaptchaInvalid => new(400, "Error.CaptchaInvalid"),
        // Wacht's session switches answer 400 for an id the caller cannot switch to.
        NotAMember => new(400, "Error.NotAMember"),
        NotAnInstitutionMember => new(400, "Error.NotAnInstitutionMember"),
        NotDefaultEligible => new(400, "Error.NotDefaultEligible"),
        PermissionDenied => new(403, "Error.PermissionDenied"),
        RoleExceedsGrantor => new(403, "Error.RoleExceedsGrantor"),
        // Wacht refuses a last owner's departure as forbidden, not as a conflict.
        LastOwner => new(403, "Error.LastOwner"),
        MemberRoleRequired => new(409, "Error.MemberRoleRequired"),
        SoleInstitutionOwner => new(403, "Error.SoleInstitutionOwner"),
        LastInstitutionOwner => new(409, "Error.LastInstitutionOwner"),
        InstitutionRoleNotHeld => new(400, "Error.InstitutionRoleNotHeld"),
        LastOwnerOfWorkspace w => new(409, "Error.LastOwnerOfWorkspace", new Dictionary<string, object> { ["workspace"] = w.WorkspaceName }),
        InstitutionPolicyIsOperators p => new(400, "Error.InstitutionPolicyIsOperators", new Dictionary<string, object> { ["field"] = PolicyField(p.Policy) }),
        NotFound => new(404, "Error.NotFound"),
        EmailTaken => new(409, "Error.EmailTaken"),
        AlreadyOwnsWorkspace => new(409, "Error.AlreadyOwnsWorkspace"),
        RoleNameExists => new(409, "Error.RoleNameExists"),
        BuiltInRoleImmutable => new(409, "Error.BuiltInRoleImmutable"),
        RoleInUse r => new(409, "Error.RoleInUse", new Dictionary<string, object> { ["count"] = r.MemberCount }),
        InvitationPending => new(409, "Error.InvitationPending"),
        InvitationNotPending => new(409, "Error.InvitationNotPending"),
        WebhookEndpointDisabled => new(409, "Error.WebhookEndpointDisabled"),
        AlreadyMember => new(409, "Error.AlreadyMember"),
        MfaAlreadyEnabled => new(409, "Error.MfaAlreadyEnabled"),
        MfaNotEnabled => new(409, "Error.MfaNotEnabled"),
        EmailAlreadyVerified => new(409, "Error.EmailAlreadyVerified"),
        RateLimited r => new(429, "Error.RateLimited", RetryAfter: r.RetryAfter),
        NotEnterable n => new(403, "Eligibility." + n.Restriction, Type: WachtEligibility.TypeName(n.Restriction)),
        PolicyLocksOutCaller p => new(409, "Error.PolicyLocksOutCaller", Type: WachtEligibility.TypeName(p.Restriction)),
        _ => new(500, "Error.Internal"),
    };
}
