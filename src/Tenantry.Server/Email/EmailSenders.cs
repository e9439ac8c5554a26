using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Tenantry.Server.Email;

/// <summary>A plain-text email. <see cref="Reference"/> names what it is about (an invitation id) for logs.</summary>
public sealed record EmailMessage(string To, string Subject, string Body, string Reference);

/// <summary>Sends email. Throwing means "not sent"; the outbox tries again later.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>Configuration: Tenantry:Email. SMTP is used when <c>Smtp:Host</c> is set; otherwise emails are only logged.</summary>
public sealed class EmailOptions
{
    public string From { get; set; } = "Tenantry <no-reply@tenantry.invalid>";

    public SmtpOptions Smtp { get; set; } = new();
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
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = message.Body };

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

/// <summary>
/// Development stand-in when no SMTP server is configured: logs who would get which email.
/// The body (with its link) is logged only at Debug level, never at Information.
/// </summary>
public sealed partial class LoggingEmailSender(ILogger<LoggingEmailSender> logger) : IEmailSender
{
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        LogEmail(logger, message.To, message.Subject, message.Reference);
        LogBody(logger, message.Reference, message.Body);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email not sent (no SMTP server configured) to {To}: \"{Subject}\" ({Reference})")]
    private static partial void LogEmail(ILogger logger, string to, string subject, string reference);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Body of the email for {Reference}:\n{Body}")]
    private static partial void LogBody(ILogger logger, string reference, string body);
}
