using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Tenantry.Application.Security;

/// <summary>What a protected secret is, so that one kind can never be decrypted as another.</summary>
public enum SecretKind
{
    SigningKey,
    TotpSecret,
    SecureChannelKey,

    /// <summary>A secret an outbox message must deliver in clear (an email's link token or code), kept encrypted until it is sent.</summary>
    OutboxSecret,

    /// <summary>A webhook endpoint's signing secret (whsec_…), needed in clear to sign each delivery.</summary>
    WebhookSecret,
}

/// <summary>
/// Encrypts secrets before they are stored (signing keys, TOTP secrets, secure-channel keys, the
/// tokens and codes that queued emails carry, webhook signing secrets)
/// with ASP.NET Core Data Protection, whose key ring every replica shares through the
/// database. A stolen table alone reveals nothing; see docs/SECURITY.md for what protects the
/// key ring itself.
/// </summary>
public sealed class SecretsAtRest(IDataProtectionProvider provider)
{
    /// <summary>Marks a stored value as protected; values without it are legacy plaintext.</summary>
    public const string Prefix = "dp1:";

    private readonly IDataProtector _signingKeys = provider.CreateProtector("Tenantry.SigningKey.v1");
    private readonly IDataProtector _totpSecrets = provider.CreateProtector("Tenantry.Mfa.TotpSecret.v1");
    private readonly IDataProtector _channelKeys = provider.CreateProtector("Tenantry.SecureChannel.Key.v1");
    private readonly IDataProtector _outboxSecrets = provider.CreateProtector("Tenantry.Outbox.Secret.v1");
    private readonly IDataProtector _webhookSecrets = provider.CreateProtector("Tenantry.Webhooks.Secret.v1");

    public string Protect(SecretKind kind, ReadOnlySpan<byte> secret) =>
        Prefix + Convert.ToBase64String(Protector(kind).Protect(secret.ToArray()));

    public string ProtectText(SecretKind kind, string secret) => Protect(kind, System.Text.Encoding.UTF8.GetBytes(secret));

    public string UnprotectText(SecretKind kind, string stored) => System.Text.Encoding.UTF8.GetString(Unprotect(kind, stored));

    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The secret; throws <see cref="CryptographicException"/> when the value was not protected by this key ring for this kind.</summary>
    public byte[] Unprotect(SecretKind kind, string stored)
    {
        if (!IsProtected(stored))
        {
            throw new CryptographicException("The stored secret is not protected.");
        }
        return Protector(kind).Unprotect(Convert.FromBase64String(stored[Prefix.Length..]));
    }

    private IDataProtector Protector(SecretKind kind) => kind switch
    {
        SecretKind.SigningKey => _signingKeys,
        SecretKind.TotpSecret => _totpSecrets,
        SecretKind.SecureChannelKey => _channelKeys,
        SecretKind.OutboxSecret => _outboxSecrets,
        SecretKind.WebhookSecret => _webhookSecrets,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
