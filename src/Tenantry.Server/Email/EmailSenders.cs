using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Tenantry.Server.Email;

/// <summary>
/// A plain-text email. <see cref="Reference"/> names what it is about (an invitation id) for logs.
/// The body may carry secrets (an invitation's token, a verification code and link): it is never logged.
/// </summary>
public sealed record EmailMessage(string To, string Subject, string Body, string Reference);

/// <summary>Sends email. Throwing means "not sent"; the outbox tries again later.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Configuration: Tenantry:Email. SMTP is used when <c>Smtp:Host</c> is set; otherwise, when
/// <see cref="PickupDirectory"/> is set (Development sets <c>mail</c>), each email is written there as
/// an .eml file; otherwise emails are only logged, without their bodies.
/// </summary>
public sealed class EmailOptions
{
    public string From { get; set; } = "Tenantry <no-reply@tenantry.invalid>";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Folder for .eml files when no SMTP host is set; relative to <c>Tenantry:DataDir</c>. Empty: off.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>The pickup folder as a full path, or null when it is off.</summary>
    public string? ResolvedPickupDirectory(string dataDir) =>
        string.IsNullOrWhiteSpace(PickupDirectory) ? null : Path.GetFullPath(PickupDirectory, dataDir);
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary><c>Auto</c> (STARTTLS when offered), <c>StartTls</c> (required), <c>SslOnConnect</c> (port 465) or <c>None</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? Username { get; set; }
    public string? Password { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Sends through an SMTP server with MailKit, one connection per message (invitations are rare).</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var mime = MimeMessages.Compose(settings, message);

        using var client = new SmtpClient { Timeout = (int)settings.Smtp.Timeout.TotalMilliseconds };
        await client.ConnectAsync(settings.Smtp.Host ?? throw new InvalidOperationException("Tenantry:Email:Smtp:Host is not set."), settings.Smtp.Port, settings.Smtp.Security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Smtp.Username))
        {
            await client.AuthenticateAsync(settings.Smtp.Username, settings.Smtp.Password ?? string.Empty, cancellationToken);
        }
        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

internal static class MimeMessages
{
    public static MimeMessage Compose(EmailOptions settings, EmailMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = message.Body };
        return mime;
    }
}

/// <summary>
/// When no SMTP server and no pickup folder are configured (production without mail): logs who
/// would get which email (recipient, subject, reference), never the body, at any level, since the
/// body carries tokens, codes and links that are as good as a password for the account or invitation.
/// </summary>
public sealed partial class LoggingEmailSender(ILogger<LoggingEmailSender> logger) : IEmailSender
{
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        LogEmail(logger, message.To, message.Subject, message.Reference);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email not sent (no SMTP server configured) to {To}: \"{Subject}\" ({Reference}); its body is not logged")]
    private static partial void LogEmail(ILogger logger, string to, string subject, string reference);
}

/// <summary>
/// Development without SMTP: writes each email as an .eml file (readable by any mail client or text
/// editor) into the pickup folder and logs the recipient, subject, reference and file name, never
/// the body. On Unix the files are readable by the server's user only, as they hold secrets.
/// </summary>
public sealed partial class PickupDirectoryEmailSender(IOptions<EmailOptions> options, string directory, ILogger<PickupDirectoryEmailSender> logger)
    : IEmailSender
{
    public string Directory => directory;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        using var mime = MimeMessages.Compose(options.Value, message);
        var name = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}.eml";
        var path = Path.Combine(directory, name);
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        // Written under a temporary name and then renamed, so whoever watches the folder never reads half an email.
        await using (var stream = new FileStream(path + ".part", file))
        {
            await mime.WriteToAsync(stream, cancellationToken);
        }
        File.Move(path + ".part", path);
        LogWritten(logger, message.To, message.Subject, message.Reference, name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email to {To}: \"{Subject}\" ({Reference}) written to the pickup folder as {FileName}")]
    private static partial void LogWritten(ILogger logger, string to, string subject, string reference, string fileName);
}
