using Microsoft.Extensions.Logging;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// Development without SMTP: every email becomes an .eml file in the pickup folder (<c>mail</c> under the data
/// folder), which a developer opens to verify their address; the log names the file, never the secrets.
/// </summary>
public sealed class PickupDirectoryTests(PickupDirectoryTests.PickupApp app) : IClassFixture<PickupDirectoryTests.PickupApp>
{
    public sealed class PickupApp : TenantryApp
    {
        protected override LogLevel ServerLogLevel => LogLevel.Information;

        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Tenantry:Email:PickupDirectory"] = "mail";
            settings["Tenantry:Outbox:PollInterval"] = "00:00:00.200";
        }
    }

    [Fact]
    public async Task A_developer_verifies_their_email_from_the_file_in_the_data_folder()
    {
        var api = app.System;
        var folder = Path.Combine(app.Database.DataDir!, "mail");
        var user = await api.SignUpAsync(SystemApi.NewEmail("developer"), "Dev Eloper");

        var (fileName, email) = Assert.Single(await Mail.PickedUpAsync(folder));

        Assert.Equal(user.Email, email.To.Mailboxes.Single().Address);
        Assert.Equal("Verify your email address", email.Subject);
        Assert.EndsWith(".eml", fileName);
        Assert.Empty(Directory.GetFiles(folder, "*.part"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, fileName)));
        }
        var code = email.VerificationCode();
        var token = email.VerificationToken();
        // The sender logs right after it moves the file into place, so the line can trail the file by a moment.
        await Eventually.TrueAsync(() => Task.FromResult(
            app.ServerLog.Entries.Any(e => e.Contains(fileName, StringComparison.Ordinal) && e.Contains(user.Email, StringComparison.Ordinal))));
        Assert.DoesNotContain(app.ServerLog.Entries, e => e.Contains(token, StringComparison.Ordinal) || e.Contains($" {code}", StringComparison.Ordinal));

        (await api.PostAsync("/web/v1/auth/email/verify", new { code }, user.AccessToken)).AssertOk();
        Assert.True((await api.MeAsync(user)).Flag("emailVerified"));
    }
}
