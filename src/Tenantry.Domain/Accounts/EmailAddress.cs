using System.Net.Mail;

namespace Tenantry.Domain.Accounts;

/// <summary>
/// An email address as typed (for display) and its normalized form (for lookups and
/// uniqueness). Emails are case-insensitive everywhere in Tenantry.
/// </summary>
public readonly record struct EmailAddress(string Value, string Normalized)
{
    public const int MaxLength = 254;

    public static bool TryParse(string? input, out EmailAddress email)
    {
        email = default;
        var trimmed = input?.Trim();
        // MailAddress refuses C0 controls but lets C1 (U+0080 to U+009F) through in the local part.
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLength || trimmed.Any(char.IsControl))
        {
            return false;
        }
        // MailAddress also accepts "Name <a@b>" and quoted forms; only a bare address is an account email.
        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || parsed.Host.IndexOf('.') <= 0)
        {
            return false;
        }
        email = new EmailAddress(trimmed, Normalize(trimmed));
        return true;
    }

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public override string ToString() => Value;
}
