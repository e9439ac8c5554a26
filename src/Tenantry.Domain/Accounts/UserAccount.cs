namespace Tenantry.Domain.Accounts;

public enum UserStatus
{
    Active,
    Disabled,
}

/// <summary>A person who signs in. Owns sessions and workspace memberships.</summary>
public sealed class UserAccount
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;
    public const int MaxDisplayNameLength = 100;

    private UserAccount()
    {
    }

    public string Id { get; private set; } = null!;
    public string Email { get; private set; } = null!;
    public string NormalizedEmail { get; private set; } = null!;
    public string DisplayName { get; private set; } = null!;
    public string PasswordHash { get; private set; } = null!;
    public UserStatus Status { get; private set; }

    /// <summary>
    /// When the account proved that it receives mail at <see cref="Email"/> (a link or code from the
    /// verification email, an invitation's token, or an operator's word); null while unproven.
    /// Until then the address is only a claim: invitations are not matched on it.
    /// </summary>
    public DateTime? EmailVerifiedAt { get; private set; }

    /// <summary>
    /// Bumped by every change to the user's memberships or default workspace. Taking it (see
    /// RowLocks.LockUserMembershipsAsync) serializes those changes per user; readers can
    /// use it to tell whether what they cached is still current.
    /// </summary>
    public long MembershipsVersion { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public bool CanSignIn => Status == UserStatus.Active;

    public bool EmailVerified => EmailVerifiedAt is not null;

    public static UserAccount Register(EmailAddress email, string displayName, string passwordHash, DateTimeOffset now) =>
        new()
        {
            Id = Common.EntityId.New(Common.EntityId.User, now),
            Email = email.Value,
            NormalizedEmail = email.Normalized,
            DisplayName = displayName.Trim(),
            PasswordHash = passwordHash,
            Status = UserStatus.Active,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };

    /// <summary>The user renames themselves; false when the name is the same.</summary>
    public bool Rename(string displayName, DateTimeOffset now)
    {
        displayName = displayName.Trim();
        if (DisplayName == displayName)
        {
            return false;
        }
        DisplayName = displayName;
        UpdatedAt = now.UtcDateTime;
        return true;
    }

    /// <summary>An operator turns sign-in off (or back on); the caller revokes the sessions.</summary>
    public bool SetStatus(UserStatus status, DateTimeOffset now)
    {
        if (Status == status)
        {
            return false;
        }
        Status = status;
        UpdatedAt = now.UtcDateTime;
        return true;
    }

    /// <summary>Called when the hasher says the stored hash uses outdated parameters.</summary>
    public void UpgradePasswordHash(string passwordHash, DateTimeOffset now) => ChangePassword(passwordHash, now);

    /// <summary>A new password, chosen by the account's user (who proved the current one).</summary>
    public void ChangePassword(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        UpdatedAt = now.UtcDateTime;
    }

    /// <summary>Records the proof of the address; a second proof keeps the first time. Returns whether anything changed.</summary>
    public bool MarkEmailVerified(DateTimeOffset now)
    {
        if (EmailVerifiedAt is not null)
        {
            return false;
        }
        EmailVerifiedAt = now.UtcDateTime;
        UpdatedAt = now.UtcDateTime;
        return true;
    }

    /// <summary>Withdraws the proof (an operator's decision); the account can verify again. Returns whether anything changed.</summary>
    public bool MarkEmailUnverified(DateTimeOffset now)
    {
        if (EmailVerifiedAt is null)
        {
            return false;
        }
        EmailVerifiedAt = null;
        UpdatedAt = now.UtcDateTime;
        return true;
    }
}
