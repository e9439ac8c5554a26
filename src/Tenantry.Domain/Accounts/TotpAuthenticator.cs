namespace Tenantry.Domain.Accounts;

/// <summary>
/// A user's TOTP authenticator (RFC 6238). Enrolment stores a fresh secret; it counts only
/// once confirmed with a code, so a half-finished enrolment never locks anyone out. The
/// secret is stored encrypted (the application protects it before it reaches this entity).
/// </summary>
public sealed class TotpAuthenticator
{
    public const int MaxProtectedSecretLength = 1024;

    private TotpAuthenticator()
    {
    }

    public string UserId { get; private set; } = null!;

    /// <summary>The shared secret, encrypted at rest; never the plain secret.</summary>
    public string ProtectedSecret { get; private set; } = null!;

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>Set when the user proved with a code that their app holds the secret; null while pending.</summary>
    public DateTime? ConfirmedAt { get; private set; }

    /// <summary>The last 30-second time step a code was accepted for; a code is accepted once (no replay within its window).</summary>
    public long? LastUsedStep { get; private set; }

    public bool IsConfirmed => ConfirmedAt is not null;

    public static TotpAuthenticator Enrol(string userId, string protectedSecret, DateTimeOffset now) =>
        new()
        {
            UserId = userId,
            ProtectedSecret = protectedSecret,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };

    /// <summary>Starts over with a new secret (enrolling again before confirming).</summary>
    public void Replace(string protectedSecret, DateTimeOffset now)
    {
        ProtectedSecret = protectedSecret;
        ConfirmedAt = null;
        LastUsedStep = null;
        UpdatedAt = now.UtcDateTime;
    }

    public void Confirm(long usedStep, DateTimeOffset now)
    {
        ConfirmedAt = now.UtcDateTime;
        LastUsedStep = usedStep;
        UpdatedAt = now.UtcDateTime;
    }
}
