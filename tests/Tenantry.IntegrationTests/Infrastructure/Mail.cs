using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// Reads the emails a server sent, as their recipients would: the messages a <see cref="FakeSmtpServer"/> received, or
/// the .eml files of a pickup folder, parsed with MimeKit; and the secrets in their text (code, link tokens).
/// </summary>
public static partial class Mail
{
    /// <summary>
    /// Waits until <paramref name="count"/> messages to <paramref name="recipient"/> (of those <paramref name="where"/> accepts) arrived;
    /// returns them in the order they came.
    /// </summary>
    public static async Task<IReadOnlyList<MimeMessage>> ToAsync(this FakeSmtpServer smtp, string recipient, int count = 1, Func<MimeMessage, bool>? where = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var messages = smtp.Messages
                .Where(m => m.Recipients.Any(r => string.Equals(r, recipient, StringComparison.OrdinalIgnoreCase)))
                .Select(m => Parse(m.Data))
                .Where(m => where is null || where(m))
                .ToList();
            if (messages.Count >= count)
            {
                return messages;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{messages.Count} of {count} emails to {recipient} arrived");
            await Task.Delay(50);
        }
    }

    /// <summary>The <paramref name="nth"/> verification email to <paramref name="recipient"/> (1 is the first).</summary>
    public static async Task<MimeMessage> VerificationEmailAsync(this FakeSmtpServer smtp, string recipient, int nth = 1) =>
        (await smtp.ToAsync(recipient, nth, IsVerification))[nth - 1];

    /// <summary>The <paramref name="nth"/> invitation email to <paramref name="recipient"/> (1 is the first).</summary>
    public static async Task<MimeMessage> InvitationEmailAsync(this FakeSmtpServer smtp, string recipient, int nth = 1) =>
        (await smtp.ToAsync(recipient, nth, m => !IsVerification(m)))[nth - 1];

    public static bool IsVerification(MimeMessage message) => message.Subject == "Verify your email address";

    /// <summary>Waits until the folder holds <paramref name="count"/> .eml files; returns them parsed, oldest first (file names sort by time).</summary>
    public static async Task<IReadOnlyList<(string FileName, MimeMessage Message)>> PickedUpAsync(string directory, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.eml").Order(StringComparer.Ordinal).ToList() : [];
            if (files.Count >= count)
            {
                return files.Select(f => (Path.GetFileName(f), MimeMessage.Load(f))).ToList();
            }
            Assert.True(DateTime.UtcNow < deadline, $"{files.Count} of {count} emails were written to {directory}");
            await Task.Delay(50);
        }
    }

    public static MimeMessage Parse(string data) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(data)));

    public static string Text(this MimeMessage message) => message.TextBody ?? throw new InvalidOperationException("The email has no text body.");

    /// <summary>The 6-digit verification code: the one standalone run of six digits in the text.</summary>
    public static string VerificationCode(this MimeMessage message) => Assert.Single(SixDigits().Matches(message.Text())).Value;

    /// <summary>The token in the verification link (<c>...?token=</c>), or at the end of its own line when no link is configured.</summary>
    public static string VerificationToken(this MimeMessage message) =>
        LinkToken().IsMatch(message.Text()) ? Single(LinkToken(), message.Text()) : Single(LineToken(), message.Text());

    /// <summary>The token in the invitation's accept link (<c>...?token=</c>).</summary>
    public static string InvitationToken(this MimeMessage message) => Single(LinkToken(), message.Text());

    private static string Single(Regex pattern, string text) => Uri.UnescapeDataString(Assert.Single(pattern.Matches(text)).Groups[1].Value);

    [GeneratedRegex(@"(?<![0-9A-Za-z])[0-9]{6}(?![0-9A-Za-z])")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"[?&]token=([A-Za-z0-9_%-]+)")]
    private static partial Regex LinkToken();

    [GeneratedRegex(@": ([A-Za-z0-9_-]{43})\s*$", RegexOptions.Multiline)]
    private static partial Regex LineToken();
}
