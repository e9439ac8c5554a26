namespace Tenantry.Domain.Common;

/// <summary>
/// A failure the domain or a use case reports as a value, never as an exception.
/// Each dialect maps these to its wire format in exactly one place.
/// </summary>
public abstract record DomainError;

/// <summary>One problem with one input field. <paramref name="Field"/> is a JSON path ("$.workspaceName", "$" for the whole body).</summary>
public sealed record FieldError(string Field, string Code, IReadOnlyDictionary<string, object>? Arguments = null);

/// <summary>The input is well-formed JSON but breaks a rule; carries every problem found.</summary>
public sealed record ValidationFailed(IReadOnlyList<FieldError> Errors) : DomainError
{
    public ValidationFailed(FieldError single) : this([single]) { }
}

/// <summary>The resource does not exist, or the caller may not know that it exists.</summary>
public sealed record NotFound : DomainError;

/// <summary>The caller is not a member of the workspace or institution they named.</summary>
public sealed record NotAMember : DomainError;

/// <summary>The caller is a member but their role lacks <paramref name="Permission"/>.</summary>
public sealed record PermissionDenied(string Permission) : DomainError;

public sealed record InvalidCredentials : DomainError;

/// <summary>Missing, malformed, expired, tampered or revoked token.</summary>
public sealed record InvalidToken : DomainError;

public sealed record EmailTaken : DomainError;

public sealed record RateLimited(TimeSpan RetryAfter) : DomainError;

public sealed record AlreadyOwnsWorkspace : DomainError;

public sealed record RoleNameExists : DomainError;

/// <summary>A built-in role (Owner, Member) cannot be edited or deleted.</summary>
public sealed record BuiltInRoleImmutable : DomainError;

/// <summary>A custom role still held by members cannot be deleted.</summary>
public sealed record RoleInUse(int MemberCount) : DomainError;

/// <summary>A role may not grant more than the person handing it out holds.</summary>
public sealed record RoleExceedsGrantor : DomainError;

public sealed record InvitationPending : DomainError;

public sealed record AlreadyMember : DomainError;

/// <summary>The change would leave a workspace (or institution) without an owner.</summary>
public sealed record LastOwner : DomainError;

/// <summary>Every member holds a role: the workspace's Member role cannot be taken away, only replaced by another.</summary>
public sealed record MemberRoleRequired : DomainError;

public sealed record NotDefaultEligible : DomainError;

/// <summary>The invitation exists but is no longer pending (accepted elsewhere, revoked, declined or expired).</summary>
public sealed record InvitationNotPending : DomainError;

/// <summary>A TOTP or recovery code that is wrong, already used, or from outside the accepted window.</summary>
public sealed record InvalidMfaCode : DomainError;

/// <summary>The MFA challenge of a sign-in is unknown, expired, used up or already completed.</summary>
public sealed record MfaChallengeInvalid : DomainError;

/// <summary>Enrolling while a confirmed authenticator exists; disable it first.</summary>
public sealed record MfaAlreadyEnabled : DomainError;

/// <summary>The operation needs an authenticator (pending for confirm, confirmed for the rest) that the user does not have.</summary>
public sealed record MfaNotEnabled : DomainError;

/// <summary>The account was disabled by an operator: the right password no longer signs in.</summary>
public sealed record AccountDisabled : DomainError;

/// <summary>An email verification link or code that is unknown, wrong, expired, already used, replaced by a newer one, or out of tries.</summary>
public sealed record EmailVerificationInvalid : DomainError;

/// <summary>A password reset code or token that is unknown, wrong, expired, already used, replaced by a newer one, or out of tries.</summary>
public sealed record PasswordResetInvalid : DomainError;

/// <summary>A captcha pass that is missing where one is required, malformed, forged, expired or already used.</summary>
public sealed record CaptchaInvalid : DomainError;

/// <summary>The account's address is verified already: there is nothing to send.</summary>
public sealed record EmailAlreadyVerified : DomainError;

/// <summary>A delivery cannot be sent or replayed to a disabled webhook endpoint; enable it first.</summary>
public sealed record WebhookEndpointDisabled : DomainError;
