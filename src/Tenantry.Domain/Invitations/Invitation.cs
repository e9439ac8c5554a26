using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Domain.Invitations;

public enum InvitationStatus
{
    Pending,
    Accepted,
    Declined,
    Revoked,
    Expired,
}

/// <summary>
/// An invitation for an email address to join a workspace in a role. At most one pending
/// invitation per (workspace, email), enforced by a partial unique index. Its email carries a
/// secret token (stored here only as a hash; each resend replaces it) that proves the holder
/// read that mailbox.
/// </summary>
public sealed class Invitation
{
    private Invitation()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string WorkspaceId { get; private set; } = null!;
    public string Email { get; private set; } = null!;
    public string NormalizedEmail { get; private set; } = null!;
    public string RoleId { get; private set; } = null!;
    public string InvitedByUserId { get; private set; } = null!;
    public InvitationStatus Status { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime? RespondedAt { get; private set; }

    /// <summary>
    /// Hash of the secret token in the invitation's latest email. Null for invitations made before
    /// tokens existed: those can be accepted only by a verified address equal to the invited one.
    /// </summary>
    public string? TokenHash { get; private set; }

    public static Invitation Create(
        string institutionId, string workspaceId, EmailAddress email, string roleId, string invitedBy, TimeSpan validFor, string tokenHash,
        DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.Invitation, now),
            InstitutionId = institutionId,
            WorkspaceId = workspaceId,
            Email = email.Value,
            NormalizedEmail = email.Normalized,
            RoleId = roleId,
            InvitedByUserId = invitedBy,
            TokenHash = tokenHash,
            Status = InvitationStatus.Pending,
            ExpiresAt = (now + validFor).UtcDateTime,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };

    public bool IsPendingAt(DateTimeOffset now) => Status == InvitationStatus.Pending && ExpiresAt > now.UtcDateTime;

    public bool IsAddressedTo(string normalizedEmail) => string.Equals(NormalizedEmail, normalizedEmail, StringComparison.Ordinal);

    public void Accept(DateTimeOffset now) => Respond(InvitationStatus.Accepted, now);

    public void Decline(DateTimeOffset now) => Respond(InvitationStatus.Declined, now);

    public void Revoke(DateTimeOffset now) => Respond(InvitationStatus.Revoked, now);

    public void MarkExpired(DateTimeOffset now) => Respond(InvitationStatus.Expired, now);

    /// <summary>A fresh expiry and a new token: the token of every earlier email stops working.</summary>
    public void Renew(TimeSpan validFor, string tokenHash, DateTimeOffset now)
    {
        ExpiresAt = (now + validFor).UtcDateTime;
        TokenHash = tokenHash;
        UpdatedAt = now.UtcDateTime;
    }

    private void Respond(InvitationStatus status, DateTimeOffset now)
    {
        Status = status;
        RespondedAt = now.UtcDateTime;
        UpdatedAt = now.UtcDateTime;
    }
}
