using System.Globalization;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// A server that sends its email over SMTP to a <see cref="FakeSmtpServer"/>, with links configured for verification
/// and invitations, so that tests read what a user's mailbox would get and follow it over HTTP.
/// </summary>
public class MailApp : TenantryApp
{
    public const string VerifyUrl = "https://app.example.com/verify-email?token={token}";
    public const string AcceptUrl = "https://app.example.com/invitations/{invitationId}?token={token}";

    public FakeSmtpServer Smtp { get; } = new();

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Email:Smtp:Host"] = "127.0.0.1";
        settings["Tenantry:Email:Smtp:Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture);
        settings["Tenantry:Email:Smtp:Security"] = "None";
        settings["Tenantry:Outbox:PollInterval"] = "00:00:00.200";
        settings["Tenantry:EmailVerification:VerifyUrl"] = VerifyUrl;
        settings["Tenantry:Invitations:AcceptUrl"] = AcceptUrl;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
