using System.Security.Cryptography;
using System.Text;
using OtpNet;
using QRCoder;
using Tenantry.Application.Accounts.Tokens;

namespace Tenantry.Application.Accounts.Mfa;

/// <summary>RFC 6238 TOTP as every authenticator app expects it: SHA-1, 6 digits, 30-second steps.</summary>
public static class TotpCodes
{
    public const int Digits = 6;
    public const int PeriodSeconds = 30;
    public const string Algorithm = "SHA1";
    private const int SecretBytes = 20;

    public static byte[] NewSecret() => KeyGeneration.GenerateRandomKey(SecretBytes);

    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    /// <summary>The <c>otpauth://</c> URI (Key Uri Format) that authenticator apps import.</summary>
    public static string Uri(string issuer, string accountName, byte[] secret)
    {
        var label = System.Uri.EscapeDataString(issuer) + ":" + System.Uri.EscapeDataString(accountName);
        return $"otpauth://totp/{label}?secret={Base32(secret)}&issuer={System.Uri.EscapeDataString(issuer)}" +
            $"&algorithm={Algorithm}&digits={Digits}&period={PeriodSeconds}";
    }

    /// <summary>The URI as a QR code: an SVG image in a data URI, ready for an <c>img</c> tag.</summary>
    public static string QrCodeDataUri(string otpauthUri)
    {
        using var data = QRCodeGenerator.GenerateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }

    /// <summary>The time step <paramref name="code"/> is valid for at <paramref name="now"/> (one step of drift either way), or null.</summary>
    public static long? MatchStep(byte[] secret, string code, DateTimeOffset now)
    {
        var trimmed = code.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (trimmed.Length != Digits || !trimmed.All(char.IsAsciiDigit))
        {
            return null;
        }
        var totp = new Totp(secret, PeriodSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, trimmed, out var step, VerificationWindow.RfcSpecifiedNetworkDelay) ? step : null;
    }

    /// <summary>The current code (tests and the client helper use it).</summary>
    public static string Compute(byte[] secret, DateTimeOffset now) =>
        new Totp(secret, PeriodSeconds, OtpHashMode.Sha1, Digits).ComputeTotp(now.UtcDateTime);
}

/// <summary>
/// One-time recovery codes: 80 random bits each, shown once as <c>xxxx-xxxx-xxxx-xxxx</c>
/// (Crockford base32), stored as SHA-256 hashes. With 80 bits a fast hash is enough.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static List<string> Generate()
    {
        var codes = new List<string>(Count);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < Count; i++)
        {
            RandomNumberGenerator.Fill(bytes);
            var chars = new char[16];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = Alphabet[bytes[c] & 31];
            }
            var text = new string(chars);
            codes.Add($"{text[..4]}-{text[4..8]}-{text[8..12]}-{text[12..]}");
        }
        return codes;
    }

    /// <summary>Case, hyphens and spaces do not matter; the letters people confuse with digits read as those digits.</summary>
    public static string Normalize(string code)
    {
        var builder = new StringBuilder(code.Length);
        foreach (var ch in code.Trim().ToLowerInvariant())
        {
            switch (ch)
            {
                case '-' or ' ':
                    continue;
                case 'o':
                    builder.Append('0');
                    break;
                case 'i' or 'l':
                    builder.Append('1');
                    break;
                default:
                    builder.Append(ch);
                    break;
            }
        }
        return builder.ToString();
    }

    public static string Hash(string code) => TokenHashing.Hash(Normalize(code));
}
