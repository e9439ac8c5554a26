using Tenantry.Domain.Common;

namespace Tenantry.Domain.Audit;

/// <summary>Who acted on an account: the account's own user, or an operator (who has no user id).</summary>
public static class AccountActors
{
    public const string User = "user";
    public const string Operator = "operator";
}

/// <summary>The actions the account trail records; stable strings, part of the operator API.</summary>
public static class AccountActions
{
    public const string EmailVerified = "email.verified";
    public const string EmailUnverified = "email.unverified";
    public const string Disabled = "account.disabled";
    public const string Enabled = "account.enabled";
    public const string SessionsRevoked = "sessions.revoked";
    public const string MfaReset = "mfa.reset";
    public const string ProfileUpdated = "profile.updated";
    public const string PasswordChanged = "password.changed";
    public const string PasswordReset = "password.reset";
}

/// <summary>
/// An event of one account (not of a tenant: <see cref="AuditEvent"/> belongs to an institution):
/// what happened to it, who did it and how. Written in the same transaction as the change.
/// <see cref="Actor"/> is <see cref="AccountActors.User"/> (then <see cref="ActorUserId"/> names the
/// user) or <see cref="AccountActors.Operator"/> (the operator API: no user id, no client IP kept).
/// </summary>
public sealed class AccountEvent
{
    private AccountEvent()
    {
    }

    public string Id { get; private set; } = null!;
    public string UserId { get; private set; } = null!;
    public string Action { get; private set; } = null!;
    public string Actor { get; private set; } = null!;
    public string? ActorUserId { get; private set; }
    public string? ClientIp { get; private set; }

    /// <summary>JSON object with action-specific details (how the address was proven, which address).</summary>
    public string Details { get; private set; } = "{}";

    public DateTime CreatedAt { get; private set; }

    public static AccountEvent ByUser(string userId, string actorUserId, string action, string? clientIp, string details, DateTimeOffset now) =>
        Record(userId, action, AccountActors.User, actorUserId, clientIp, details, now);

    public static AccountEvent ByOperator(string userId, string action, string details, DateTimeOffset now) =>
        Record(userId, action, AccountActors.Operator, null, null, details, now);

    private static AccountEvent Record(string userId, string action, string actor, string? actorUserId, string? clientIp, string details, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.AccountEvent, now),
            UserId = userId,
            Action = action,
            Actor = actor,
            ActorUserId = actorUserId,
            ClientIp = clientIp,
            Details = details,
            CreatedAt = now.UtcDateTime,
        };
}
