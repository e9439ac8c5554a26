using System.Text.Json;
using Microsoft.Extensions.Localization;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.SystemApi;

/// <summary>An error as the SYSTEM dialect puts it on the wire: HTTP status, code, message key.</summary>
public sealed record SystemError(
    int Status, string Code, string MessageKey, IReadOnlyDictionary<string, object>? Arguments = null,
    IReadOnlyList<FieldError>? Fields = null, TimeSpan? RetryAfter = null)
{
    public IResult ToResult() => Fields is null
        ? new SystemResult<object>(Status, Code, MessageKey, Arguments, null, RetryAfter)
        : new FieldProblemsResult(this);

    public Task WriteAsync(HttpContext http) => ToResult().ExecuteAsync(http);

    /// <summary>A <c>4000</c>: the data lists each field (JSON path in camelCase) with its localized message.</summary>
    private sealed class FieldProblemsResult(SystemError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var localizer = httpContext.RequestServices.GetRequiredService<IStringLocalizer<Messages>>();
            var problems = error.Fields!
                .Select(f => new SystemFieldProblem(SystemErrors.WireField(f.Field), localizer.Text("Validation." + f.Code, f.Arguments)))
                .ToList();
            return new SystemResult<List<SystemFieldProblem>>(error.Status, error.Code, error.MessageKey, null, problems, null).ExecuteAsync(httpContext);
        }
    }
}

/// <summary>
/// The one place where domain errors become SYSTEM answers (CONTRACT 3's table). Codes are
/// never localized; messages always are.
/// </summary>
public static class SystemErrors
{
    public static readonly SystemError TokenRejected = new(401, "4010", "Error.InvalidToken");
    public static readonly SystemError PortalAccessDenied = new(403, "GATEWAY.PORTAL_ACCESS_DENIED", "Error.PortalAccessDenied");
    public static readonly SystemError ResourceNotFound = new(404, "4040", "Error.NotFound");
    public static readonly SystemError Forbidden = new(403, "4030", "Error.PermissionDenied");
    public static readonly SystemError MethodNotAllowed = new(405, "4050", "Error.MethodNotAllowed");
    public static readonly SystemError PayloadTooLarge = new(413, "4130", "Error.PayloadTooLarge");
    public static readonly SystemError UnsupportedMediaType = new(415, "4150", "Error.UnsupportedMediaType");
    public static readonly SystemError UnreadableRequest = new(400, "4000", "Error.BadRequest");
    public static readonly SystemError DatabaseDown = new(503, "5030", "Error.DatabaseUnavailable");
    public static readonly SystemError InternalError = new(500, "5000", "Error.Internal");
    public static readonly SystemError InvalidAdminKey = new(401, "4010", "Error.InvalidAdminKey");
    public static readonly SystemError SecureChannelRequired = new(403, "GATEWAY.SECURE_CHANNEL_REQUIRED", "Error.SecureChannelRequired");
    public static readonly SystemError SecureChannelInvalid = new(400, "GATEWAY.SECURE_CHANNEL_INVALID", "Error.SecureChannelInvalid");

    public static SystemError Describe(DomainError error) => error switch
    {
        ValidationFailed v => new(400, "4000", "Error.ValidationFailed", Fields: v.Errors),
        InvalidToken => TokenRejected,
        InvalidCredentials => new(401, "AUTH.INVALID_CREDENTIALS", "Error.InvalidCredentials"),
        PermissionDenied => Forbidden,
        NotFound or NotAMember or NotAnOrganizationMember => ResourceNotFound,
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
        NotDefaultEligible => new(409, "WORKSPACE.NOT_DEFAULT_ELIGIBLE", "Error.NotDefaultEligible"),
        SoleOrganizationOwner => new(409, "ORGANIZATION.LAST_OWNER", "Error.SoleOrganizationOwner"),
        RateLimited r => new(429, "4290", "Error.RateLimited", RetryAfter: r.RetryAfter),
        InvalidMfaCode => new(400, "AUTH.INVALID_MFA_CODE", "Error.InvalidMfaCode"),
        MfaChallengeInvalid => new(401, "AUTH.MFA_CHALLENGE_INVALID", "Error.MfaChallengeInvalid"),
        MfaAlreadyEnabled => new(409, "AUTH.MFA_ALREADY_ENABLED", "Error.MfaAlreadyEnabled"),
        MfaNotEnabled => new(409, "AUTH.MFA_NOT_ENABLED", "Error.MfaNotEnabled"),
        _ => InternalError,
    };

    public static SystemError For(Hosting.DialectError error, TimeSpan? retryAfter, FieldError? field) => error switch
    {
        Hosting.DialectError.Unauthorized => TokenRejected,
        Hosting.DialectError.Forbidden => Forbidden,
        Hosting.DialectError.NotFound => ResourceNotFound,
        Hosting.DialectError.MethodNotAllowed => MethodNotAllowed,
        Hosting.DialectError.PayloadTooLarge => PayloadTooLarge,
        Hosting.DialectError.UnsupportedMediaType => UnsupportedMediaType,
        Hosting.DialectError.BadRequest => field is null ? UnreadableRequest : Field(field.Field, field.Code),
        Hosting.DialectError.RateLimited => Describe(new RateLimited(retryAfter ?? TimeSpan.FromSeconds(60))),
        Hosting.DialectError.DatabaseUnavailable => DatabaseDown,
        _ => InternalError,
    };

    /// <summary>A single-field <c>4000</c> (bad JSON, missing body).</summary>
    public static SystemError Field(string jsonPath, string validationCode) =>
        new(400, "4000", "Error.ValidationFailed", Fields: [new FieldError(jsonPath, validationCode)]);

    /// <summary>"$.PolicyConfig.IpAllowlist[1]" → "$.policyConfig.ipAllowlist[1]".</summary>
    public static string WireField(string path) =>
        string.Join('.', path.Split('.').Select(segment => segment == "$" ? segment : JsonNamingPolicy.CamelCase.ConvertName(segment)));
}
