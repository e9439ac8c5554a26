using Microsoft.Extensions.Logging;
using Tenantry.Application.Outbox;
using Tenantry.Server.Email;

namespace Tenantry.UnitTests.Server;

public sealed class OutboxAndEmailTests
{
    private sealed class CapturingLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    [Fact]
    public async Task The_logging_sender_logs_recipient_and_workspace_but_never_the_body_at_information_level()
    {
        var logger = new CapturingLogger<LoggingEmailSender>();
        var sender = new LoggingEmailSender(logger);
        const string link = "https://app.example.com/invitations/inv_secretish";

        await sender.SendAsync(new EmailMessage("ann@example.com", "You are invited to join Acme", $"Body with {link}", "invitation inv_1"), CancellationToken.None);

        var information = logger.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => e.Text).ToList();
        var entry = Assert.Single(information);
        Assert.Contains("ann@example.com", entry);
        Assert.Contains("Acme", entry);
        Assert.Contains("invitation inv_1", entry);
        Assert.DoesNotContain(link, entry);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Debug && e.Text.Contains(link, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(40, 3600)]
    public void Retries_back_off_exponentially_up_to_the_maximum(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), OutboxDispatcher.Backoff(attempts, new OutboxOptions()));
}
