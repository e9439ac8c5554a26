using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tenantry.Application.Accounts.CurrentSession;
using Tenantry.Application.Accounts.Me;
using Tenantry.Application.Accounts.Mfa.Status;
using Tenantry.Application.Accounts.Sessions;

namespace Tenantry.Server.Dialects.WachtApi.Users;

// Wacht's CurrentUser (wacht-types user.ts) over Tenantry's account: one email address (the account's), one display name
// (shown as the first name), a password always, a TOTP authenticator and backup codes for those who enrolled. Phone
// numbers, usernames, pictures, social connections and passkeys do not exist here: empty strings and lists.

public sealed record WachtEmailAddress(string Id, string Email, bool IsPrimary, bool Verified, string VerifiedAt, string VerificationStrategy)
{
    /// <summary>The account's one address has an id of its own on the wire, derived from the user's.</summary>
    public static string IdOf(string userId) => "email_" + userId;

    public static WachtEmailAddress From(string userId, string email, DateTime? verifiedAt) =>
        new(IdOf(userId), email, true, verifiedAt is not null, verifiedAt is { } at ? at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "", "otp");
}

public sealed record WachtAuthenticator(string Id, DateTime CreatedAt)
{
    /// <summary>An account has one authenticator; its id on the wire is derived from the user's.</summary>
    public static string IdOf(string userId) => "totp_" + userId;
}

/// <summary>
/// <c>GET /me</c>'s data and each sign-in's <c>user</c>. In a session block the security fields (<c>second_factor_policy</c>,
/// <c>user_authenticator</c>, <c>backup_codes_generated</c>) are left out: they are read fresh by <c>GET /me</c>, which
/// leaves out only <c>user_authenticator</c> when there is none.
/// </summary>
public sealed record WachtUser(
    string Id,
    string FirstName,
    string LastName,
    string Username,
    string Availability,
    bool HasProfilePicture,
    string ProfilePictureUrl,
    string PrimaryEmailAddressId,
    string PrimaryPhoneNumberId,
    WachtEmailAddress PrimaryEmailAddress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SecondFactorPolicy,
    List<WachtEmailAddress> UserEmailAddresses,
    IReadOnlyList<object> UserPhoneNumbers,
    IReadOnlyList<object> SocialConnections,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WachtAuthenticator? UserAuthenticator,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? BackupCodesGenerated,
    bool HasPassword,
    bool HasPasskeys,
    JsonElement PublicMetadata,
    IReadOnlyList<object> Segments)
{
    private static WachtUser Of(string userId, string displayName, string email, DateTime? verifiedAt, string? secondFactorPolicy,
        WachtAuthenticator? authenticator, bool? backupCodes)
    {
        var address = WachtEmailAddress.From(userId, email, verifiedAt);
        return new(userId, displayName, "", "", "available", false, "", address.Id, "", address, secondFactorPolicy, [address], [], [],
            authenticator, backupCodes, true, false, WachtWorkspaceMembership.EmptyObject(), []);
    }

    /// <summary>The whole user: a TOTP authenticator is asked for at every sign-in, so the policy is <c>enforced</c> with one and <c>none</c> without.</summary>
    public static WachtUser From(AccountView account, MfaStatus mfa) =>
        Of(account.UserId, account.DisplayName, account.Email, account.EmailVerifiedAt, SecondFactorPolicyOf(mfa),
            mfa.Enabled ? new WachtAuthenticator(WachtAuthenticator.IdOf(account.UserId), mfa.ConfirmedAt ?? account.CreatedAt) : null, mfa.RecoveryCodesRemaining > 0);

    public static string SecondFactorPolicyOf(MfaStatus mfa) => mfa.Enabled ? "enforced" : "none";

    public static WachtUser From(SessionUser user) => Of(user.Id, user.DisplayName, user.Email, user.EmailVerifiedAt, null, null, null);
}
