using System.Text.Json;
using Microsoft.Extensions.Localization;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Policies;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.Envelope;

/// <summary>
/// An error as the envelope puts it on the wire: HTTP status, code, message key; a <c>4000</c>'s
/// problems (<see cref="Fields"/>) or a refusal's machine-readable <see cref="Reason"/> go in <c>data</c>.
/// </summary>
public sealed record EnvelopeError(
    int Status, string Code, string MessageKey, IReadOnlyDictionary<string, object>? Arguments = null,
    IReadOnlyList<FieldError>? Fields = null, TimeSpan? RetryAfter = null, string? Reason = null)
{
    public IResult ToResult() => (Fields, Reason) switch
    {
        ({ }, _) => new FieldProblemsResult(this),
        (null, { } reason) => new EnvelopeResult<ErrorReason>(Status, Code, MessageKey, Arguments, new ErrorReason(reason),
            EnvelopeJsonContext.Default.ErrorReason, RetryAfter),
        _ => new EnvelopeResult<object>(Status, Code, MessageKey, Arguments, null, null, RetryAfter),
    };

    public Task WriteAsync(HttpContext http) => ToResult().ExecuteAsync(http);

    /// <summary>A <c>4000</c>: the data lists each field (JSON path in camelCase) with its localized message.</summary>
    private sealed class FieldProblemsResult(EnvelopeError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var localizer = httpContext.RequestServices.GetRequiredService<IStringLocalizer<Messages>>();
            var problems = error.Fields!
                .Select(f => new FieldProblem(EnvelopeErrors.WireField(f.Field), localizer.Text("Validation." + f.Code, f.Arguments)))
                .ToList();
            return new EnvelopeResult<List<FieldProblem>>(error.Status, error.Code, error.MessageKey, null, problems,
                EnvelopeJsonContext.Default.ListFieldProblem, null).ExecuteAsync(httpContext);
        }
    }
}

/// <summary>
/// The one place where domain errors become envelope answers (CONTRACT 3's table), for both
/// dialects that speak the envelope (SYSTEM and the operator API). Codes are never localized;
/// messages always are.
/// </summary>
public static class EnvelopeErrors
{
    public static readonly EnvelopeError TokenRejected = new(401, "4010", "Error.InvalidToken");
    public static readonly EnvelopeError ResourceNotFound = new(404, "4040", "Error.NotFound");
    public static readonly EnvelopeError Forbidden = new(403, "4030", "Error.PermissionDenied");
    public static readonly EnvelopeError MethodNotAllowed = new(405, "4050", "Error.MethodNotAllowed");
    public static readonly EnvelopeError PayloadTooLarge = new(413, "4130", "Error.PayloadTooLarge");
    public static readonly EnvelopeError UnsupportedMediaType = new(415, "4150", "Error.UnsupportedMediaType");
    public static readonly EnvelopeError UnreadableRequest = new(400, "4000", "Error.BadRequest");
    public static readonly EnvelopeError DatabaseDown = new(503, "5030", "Error.DatabaseUnavailable");
    public static readonly EnvelopeError InternalError = new(500, "5000", "Error.Internal");

    public static EnvelopeError Describe(DomainError error) => error switch
    {
        ValidationFailed v => new(400, "4000", "Error.ValidationFailed", Fields: v.Errors),
        InvalidToken => TokenRejected,
        InvalidCredentials => new(401, "AUTH.INVALID_CREDENTIALS", "Error.InvalidCredentials"),
        AccountDisabled => new(403, "AUTH.ACCOUNT_DISABLED", "Error.AccountDisabled"),
        PermissionDenied => Forbidden,
        NotFound or NotAMember or NotAnInstitutionMember => ResourceNotFound,
        EmailTaken => new(409, "AUTH.EMAIL_TAKEN", "Error.EmailTaken"),
        AlreadyOwnsWorkspace => new(409, "WORKSPACE.ALREADY_OWNS_WORKSPACE", "Error.AlreadyOwnsWorkspace"),
        RoleNameExists => new(409, "WORKSPACE.ROLE_NAME_EXISTS", "Error.RoleNameExists"),
        BuiltInRoleImmutable => new(409, "WORKSPACE.BUILT_IN_ROLE", "Error.BuiltInRoleImmutable"),
        RoleInUse r => new(409, "WORKSPACE.ROLE_IN_USE", "Error.RoleInUse", new Dictionary<string, object> { ["count"] = r.MemberCount }),
        RoleExceedsGrantor => new(403, "WORKSPACE.ROLE_EXCEEDS_GRANTOR", "Error.RoleExceedsGrantor"),
        InvitationPending => new(409, "WORKSPACE.INVITATION_PENDING", "Error.InvitationPending"),
        InvitationNotPending => new(409, "WORKSPACE.INVITATION_NOT_PENDING", "Error.InvitationNotPending"),
        AlreadyMember => new(409, "WORKSPACE.ALREADY_MEMBER", "Error.AlreadyMember"),
        LastOwner => new(409, "WORKSPACE.LAST_OWNER", "Error.LastOwner"),
        MemberRoleRequired => new(409, "WORKSPACE.MEMBER_ROLE_REQUIRED", "Error.MemberRoleRequired"),
        NotDefaultEligible => new(409, "WORKSPACE.NOT_DEFAULT_ELIGIBLE", "Error.NotDefaultEligible"),
        SoleInstitutionOwner => new(409, "ORGANIZATION.LAST_OWNER", "Error.SoleInstitutionOwner"),
        LastInstitutionOwner => new(409, "ORGANIZATION.LAST_OWNER", "Error.LastInstitutionOwner"),
        InstitutionRoleNotHeld => new(400, "ORGANIZATION.ROLE_NOT_HELD", "Error.InstitutionRoleNotHeld"),
        LastOwnerOfWorkspace w => new(409, "WORKSPACE.LAST_OWNER", "Error.LastOwnerOfWorkspace", new Dictionary<string, object> { ["workspace"] = w.WorkspaceName }),
        InstitutionPolicyIsOperators p => new(400, "ORGANIZATION.POLICY_IS_OPERATORS", "Error.InstitutionPolicyIsOperators",
            new Dictionary<string, object> { ["field"] = JsonNamingPolicy.CamelCase.ConvertName(p.Policy.ToString()) }),
        RateLimited r => new(429, "4290", "Error.RateLimited", RetryAfter: r.RetryAfter),
        InvalidMfaCode => new(400, "AUTH.INVALID_MFA_CODE", "Error.InvalidMfaCode"),
        MfaChallengeInvalid => new(401, "AUTH.MFA_CHALLENGE_INVALID", "Error.MfaChallengeInvalid"),
        MfaAlreadyEnabled => new(409, "AUTH.MFA_ALREADY_ENABLED", "Error.MfaAlreadyEnabled"),
        MfaNotEnabled => new(409, "AUTH.MFA_NOT_ENABLED", "Error.MfaNotEnabled"),
        NotEnterable n => new(403, "WORKSPACE.NOT_ENTERABLE", "Eligibility." + n.Restriction, Reason: ReasonCode(n.Restriction)),
        PolicyLocksOutCaller p => new(409, "WORKSPACE.POLICY_LOCKS_OUT_CALLER", "Error.PolicyLocksOutCaller", Reason: ReasonCode(p.Restriction)),
        EmailVerificationInvalid => new(400, "AUTH.EMAIL_VERIFICATION_INVALID", "Error.EmailVerificationInvalid"),
        PasswordResetInvalid => new(400, "AUTH.PASSWORD_RESET_INVALID", "Error.PasswordResetInvalid"),
        CaptchaInvalid => new(400, "AUTH.CAPTCHA_INVALID", "Error.CaptchaInvalid"),
        EmailAlreadyVerified => new(409, "AUTH.EMAIL_ALREADY_VERIFIED", "Error.EmailAlreadyVerified"),
        WebhookEndpointDisabled => new(409, "WEBHOOK.ENDPOINT_DISABLED", "Error.WebhookEndpointDisabled"),
        _ => InternalError,
    };

    public static EnvelopeError For(DialectError error, TimeSpan? retryAfter, FieldError? field) => error switch
    {
        DialectError.Unauthorized => TokenRejected,
        DialectError.Forbidden => Forbidden,
        DialectError.CrossSiteRequest => new(403, "4030", "Error.CrossSiteRequest"),
        DialectError.NotFound => ResourceNotFound,
        DialectError.MethodNotAllowed => MethodNotAllowed,
        DialectError.PayloadTooLarge => PayloadTooLarge,
        DialectError.UnsupportedMediaType => UnsupportedMediaType,
        DialectError.BadRequest => field is null ? UnreadableRequest : Field(field.Field, field.Code),
        DialectError.RateLimited => Describe(new RateLimited(retryAfter ?? TimeSpan.FromSeconds(60))),
        DialectError.DatabaseUnavailable => DatabaseDown,
        _ => InternalError,
    };

    /// <summary>IpNotAllowed → IP_NOT_ALLOWED: the reason of a <c>WORKSPACE.NOT_ENTERABLE</c>, in the envelope's code style.</summary>
    public static string ReasonCode(EligibilityRestriction restriction) =>
        string.Concat(restriction.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();

    /// <summary>A single-field <c>4000</c> (bad JSON, missing body).</summary>
    public static EnvelopeError Field(string jsonPath, string validationCode) =>
        new(400, "4000", "Error.ValidationFailed", Fields: [new FieldError(jsonPath, validationCode)]);

    /// <summary>"$.PolicyConfig.IpAllowlist[1]" → "$.policyConfig.ipAllowlist[1]".</summary>
    public static string WireField(string path) =>
        string.Join('.', path.Split('.').Select(segment => segment == "$" ? segment : JsonNamingPolicy.CamelCase.ConvertName(segment)));
}
