using System.Text.Json;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Data.Outbox;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Outbox;

/// <summary>The kinds of outbox message, each delivered by an <see cref="IOutboxDeliverer"/> of that kind.</summary>
public static class OutboxKinds
{
    public const string InvitationEmail = "invitation.email";
    public const string EmailVerification = "email.verification";
    public const string PasswordReset = "password.reset";

    /// <summary>An audit event to expand into webhook deliveries (see Webhooks/Events).</summary>
    public const string WebhookEvent = "webhook.event";
}

/// <summary>
/// What an invitation email needs, captured when the invitation is made or resent. The
/// language is the inviter's request language (the invitee has not chosen one yet).
/// <see cref="ProtectedToken"/> is the invitation's token encrypted with
/// <see cref="Security.SecretsAtRest"/> (<see cref="Security.SecretKind.OutboxSecret"/>): the email
/// must carry it, the table must not show it. Null in messages queued before invitations had tokens.
/// </summary>
public sealed record InvitationEmailPayload(
    string InvitationId, string Email, string WorkspaceId, string WorkspaceName, string InviterName, string RoleName, DateTime ExpiresAt, string Language,
    string? ProtectedToken = null);

/// <summary>
/// What a verification email needs. The link token and the code are encrypted like an
/// invitation's token; <see cref="VerificationId"/> names the issue they belong to, so that an
/// email replaced by a newer one before it went out is not sent.
/// </summary>
public sealed record EmailVerificationPayload(
    string UserId, string VerificationId, string Email, string DisplayName, string ProtectedToken, string ProtectedCode, DateTime ExpiresAt,
    string Language);

/// <summary>What a password reset email needs: the code encrypted like a verification's, and the issue it belongs to.</summary>
public sealed record PasswordResetPayload(
    string UserId, string ResetId, string Email, string DisplayName, string ProtectedCode, DateTime ExpiresAt, string Language);

public static class OutboxWriter
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds a message to <paramref name="db"/>; it is stored by the caller's SaveChanges, in the caller's transaction.</summary>
    public static OutboxMessage Enqueue<T>(TenantryDbContext db, string kind, T payload, DateTimeOffset now)
    {
        var message = new OutboxMessage
        {
            Id = EntityId.New(EntityId.OutboxMessage, now),
            Kind = kind,
            Payload = JsonSerializer.Serialize(payload, s_json),
            CreatedAt = now.UtcDateTime,
            NextAttemptAt = now.UtcDateTime,
        };
        db.OutboxMessages.Add(message);
        return message;
    }

    public static T Read<T>(OutboxMessage message) =>
        JsonSerializer.Deserialize<T>(message.Payload, s_json) ?? throw new JsonException($"Outbox message {message.Id} has an empty payload.");
}

/// <summary>Wakes the outbox worker as soon as a message was committed.</summary>
public sealed class OutboxSignal : WorkerSignal;
