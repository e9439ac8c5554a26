using System.Security.Cryptography;

namespace Tenantry.Domain.Common;

/// <summary>
/// Every entity has one opaque string id, the same in both wire dialects.
/// Shape: a type prefix and a 26-character ULID-style body (48-bit millisecond time,
/// 80 random bits, Crockford base32). Time-ordered so B-tree inserts stay local;
/// the random part makes ids unguessable.
/// </summary>
public static class EntityId
{
    public const string User = "usr";
    public const string Institution = "inst";
    public const string InstitutionMembership = "om";
    public const string Workspace = "ws";
    public const string WorkspaceMembership = "wm";
    public const string Role = "role";
    public const string Invitation = "inv";
    public const string Session = "sess";
    public const string Segment = "seg";
    public const string AuditEvent = "evt";
    public const string OutboxMessage = "msg";
    public const string SecureChannel = "sch";
    public const string EmailVerification = "emv";
    public const string PasswordReset = "pwr";
    public const string AccountEvent = "aev";
    public const string WebhookEndpoint = "wh";

    /// <summary>A webhook delivery; its id is the Standard Webhooks <c>webhook-id</c>.</summary>
    public const string WebhookDelivery = "whmsg";

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int BodyLength = 26;

    /// <summary>Longest id any entity can have; column sizes are derived from it.</summary>
    public const int MaxLength = 48;

    public static string New(string prefix, DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var millis = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(millis & 0xFF);
            millis >>= 8;
        }
        RandomNumberGenerator.Fill(bytes[6..]);

        Span<char> text = stackalloc char[prefix.Length + 1 + BodyLength];
        prefix.AsSpan().CopyTo(text);
        text[prefix.Length] = '_';
        EncodeBase32(bytes, text[(prefix.Length + 1)..]);
        return new string(text);
    }

    /// <summary>Cheap shape check used before touching the database with a client-supplied id.</summary>
    public static bool LooksValid(string? id, string prefix) =>
        id is not null
        && id.Length == prefix.Length + 1 + BodyLength
        && id.StartsWith(prefix, StringComparison.Ordinal)
        && id[prefix.Length] == '_'
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(Alphabet) < 0;

    private static void EncodeBase32(ReadOnlySpan<byte> input, Span<char> output)
    {
        // 128 bits -> 26 base32 digits; the first digit carries the top 3 bits.
        UInt128 value = 0;
        foreach (var b in input)
        {
            value = (value << 8) | b;
        }
        for (var i = BodyLength - 1; i >= 0; i--)
        {
            output[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    }
}
