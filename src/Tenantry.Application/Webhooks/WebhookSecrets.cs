using System.Security.Cryptography;
using Tenantry.Application.Security;

namespace Tenantry.Application.Webhooks;

/// <summary>
/// Signing secrets in the Standard Webhooks format, <c>whsec_</c> and the base64 of 32 random
/// bytes, protected at rest like the other secrets (Data Protection).
/// </summary>
public sealed class WebhookSecrets(SecretsAtRest secrets)
{
    public const string Prefix = "whsec_";
    private const int KeyBytes = 32;

    /// <summary>A new secret: the text shown to the user once, and its protected form for the database.</summary>
    public (string Shown, string Stored) Create()
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            return (Prefix + Convert.ToBase64String(key), secrets.Protect(SecretKind.WebhookSecret, key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The <c>whsec_…</c> text of a stored secret, for signing.</summary>
    public string Reveal(string stored) => Prefix + Convert.ToBase64String(secrets.Unprotect(SecretKind.WebhookSecret, stored));
}
