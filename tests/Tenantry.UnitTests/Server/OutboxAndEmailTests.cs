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
    public async Task The_logging_sender_logs_recipient_subject_and_reference_and_never_the_body_at_any_level()
    {
        var logger = new CapturingLogger<LoggingEmailSender>();
        var sender = new LoggingEmailSender(logger);
        const string link = "https://app.example.com/invitations/inv_secretish?token=t0ken-in-the-link";
        const string code = "Your code is 482913";

        await sender.SendAsync(new EmailMessage("ann@example.com", "You are invited to join Acme", $"Body with {link}\n{code}", "invitation inv_1"), CancellationToken.None);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("ann@example.com", entry.Text);
        Assert.Contains("Acme", entry.Text);
        Assert.Contains("invitation inv_1", entry.Text);
        // The body carries tokens, codes and links: as good as a password, so never in a log, at any level.
        Assert.All(logger.Entries, e =>
        {
            Assert.DoesNotContain("t0ken-in-the-link", e.Text);
            Assert.DoesNotContain("482913", e.Text);
            Assert.DoesNotContain("Body with", e.Text);
        });
    }

    [Fact]
    public async Task The_pickup_sender_writes_an_eml_file_readable_by_its_owner_only_and_logs_its_name_but_not_the_body()
    {
        var folder = Directory.CreateTempSubdirectory("tenantry-pickup-").FullName;
        try
        {
            var logger = new CapturingLogger<PickupDirectoryEmailSender>();
            var sender = new PickupDirectoryEmailSender(Microsoft.Extensions.Options.Options.Create(new EmailOptions()), Path.Combine(folder, "mail"), logger);

            await sender.SendAsync(new EmailMessage("ann@example.com", "Verify your email address", "Your code is 482913", "email verification emv_1"), CancellationToken.None);

            var file = Assert.Single(Directory.GetFiles(Path.Combine(folder, "mail")));
            Assert.EndsWith(".eml", file);
            var text = await File.ReadAllTextAsync(file);
            Assert.Contains("To: ann@example.com", text);
            Assert.Contains("Your code is 482913", text);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            var entry = Assert.Single(logger.Entries);
            Assert.Contains(Path.GetFileName(file), entry.Text);
            Assert.DoesNotContain("482913", entry.Text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_pickup_folder_is_relative_to_the_data_folder_and_empty_turns_it_off()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "tenantry-data");
        var elsewhere = Path.Combine(Path.GetTempPath(), "tenantry-spool");

        Assert.Equal(Path.Combine(dataDir, "mail"), new EmailOptions { PickupDirectory = "mail" }.ResolvedPickupDirectory(dataDir));
        Assert.Equal(elsewhere, new EmailOptions { PickupDirectory = elsewhere }.ResolvedPickupDirectory(dataDir));
        Assert.Null(new EmailOptions { PickupDirectory = "" }.ResolvedPickupDirectory(dataDir));
        Assert.Null(new EmailOptions().ResolvedPickupDirectory(dataDir));
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
