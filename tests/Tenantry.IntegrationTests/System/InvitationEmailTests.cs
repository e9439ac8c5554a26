using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Domain.Invitations;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.Server.Email;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// Invitation emails go through the outbox: written with the invitation, delivered in the
/// background, retried with backoff when the sender fails, never lost.
/// </summary>
public sealed class InvitationEmailTests(InvitationEmailTests.FlakyMailApp app) : IClassFixture<InvitationEmailTests.FlakyMailApp>
{
    /// <summary>An email sender that fails until told otherwise, and keeps what it sent.</summary>
    public sealed class FlakySender : IEmailSender
    {
        private int _attempts;

        public volatile bool Failing = true;

        public int Attempts => _attempts;

        public ConcurrentQueue<EmailMessage> Sent { get; } = new();

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            if (Failing)
            {
                throw new IOException("Connection refused by the test mail server");
            }
            Sent.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    public sealed class FlakyMailApp : TenantryApp
    {
        public FlakySender Sender { get; } = new();

        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Tenantry:Outbox:PollInterval"] = "00:00:00.100";
            settings["Tenantry:Outbox:RetryBaseDelay"] = "00:00:00.100";
            settings["Tenantry:Outbox:RetryMaxDelay"] = "00:00:00.300";
            settings["Tenantry:Invitations:AcceptUrl"] = "https://app.example.com/invitations/{invitationId}";
        }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IEmailSender>(Sender);
    }

    private readonly SystemApi _api = app.System;

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    private async Task<Data.Outbox.OutboxMessage> MessageAsync(string invitationId) => Assert.Single(await app.OutboxAsync(invitationId));

    [Fact]
    public async Task A_failing_sender_is_retried_and_neither_the_message_nor_the_invitation_is_lost()
    {
        var owner = await _api.SignUpAsync(displayName: "Olga");
        var ws = await _api.CreateWorkspaceAsync(owner, "Mail Lab");
        var email = SystemApi.NewEmail("mail");
        app.Sender.Failing = true;

        var invitation = await _api.InvitedAsync(owner, ws, email, await _api.RoleIdAsync(owner, ws, "Member"));

        await EventuallyAsync(async () => (await MessageAsync(invitation)).Attempts >= 3, "three attempts failed");
        var failed = await MessageAsync(invitation);
        Assert.Null(failed.SentAt);
        Assert.Contains("Connection refused by the test mail server", failed.LastError);
        Assert.Equal("invitation.email", failed.Kind);
        Assert.Equal(InvitationStatus.Pending, await app.WithDbAsync(db => db.Invitations.Where(i => i.Id == invitation).Select(i => i.Status).SingleAsync()));
        Assert.Contains(app.ServerLog.Entries, e => e.Contains("failed on attempt", StringComparison.Ordinal));

        app.Sender.Failing = false;
        await EventuallyAsync(async () => (await MessageAsync(invitation)).SentAt is not null, "the email was sent");

        var sent = Assert.Single(app.Sender.Sent, m => m.To == email);
        Assert.Equal("You are invited to join Mail Lab", sent.Subject);
        Assert.Contains("Olga invited you to join the workspace Mail Lab as Member.", sent.Body);
        Assert.Contains($"https://app.example.com/invitations/{invitation}", sent.Body);
        var delivered = await MessageAsync(invitation);
        Assert.Null(delivered.LastError);
        Assert.True(delivered.Attempts >= 3);
        Assert.Equal(InvitationStatus.Pending, await app.WithDbAsync(db => db.Invitations.Where(i => i.Id == invitation).Select(i => i.Status).SingleAsync()));
    }

    [Fact]
    public async Task The_email_is_written_in_the_inviters_language()
    {
        var owner = await _api.SignUpAsync(displayName: "Kenji");
        var ws = await _api.CreateWorkspaceAsync(owner, "Tokyo");
        var email = SystemApi.NewEmail("ja");
        app.Sender.Failing = false;

        var invitation = (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations",
            new { email, roleBizId = await _api.RoleIdAsync(owner, ws, "Member") }, owner.AccessToken, language: "ja-JP")).AssertOk().Text("invitationBizId");

        await EventuallyAsync(() => Task.FromResult(app.Sender.Sent.Any(m => m.To == email)), "the email was sent");
        var sent = app.Sender.Sent.Single(m => m.To == email);
        Assert.Equal(Catalog.Text("ja", "Email.Invitation.Subject").Replace("{workspace}", "Tokyo", StringComparison.Ordinal), sent.Subject);
        Assert.Equal($"invitation {invitation}", sent.Reference);
    }

    [Fact]
    public async Task An_invitation_revoked_before_its_email_went_out_is_not_emailed()
    {
        var owner = await _api.SignUpAsync();
        var ws = await _api.CreateWorkspaceAsync(owner);
        var email = SystemApi.NewEmail("revoked");
        app.Sender.Failing = true;
        var invitation = await _api.InvitedAsync(owner, ws, email, await _api.RoleIdAsync(owner, ws, "Member"));
        await EventuallyAsync(async () => (await MessageAsync(invitation)).Attempts >= 1, "a first attempt failed");

        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{invitation}/revoke", token: owner.AccessToken)).AssertOk();
        app.Sender.Failing = false;

        await EventuallyAsync(async () => (await MessageAsync(invitation)).SentAt is not null, "the message was settled");
        Assert.DoesNotContain(app.Sender.Sent, m => m.To == email);
        Assert.StartsWith("obsolete", (await MessageAsync(invitation)).LastError);
    }
}

/// <summary>With Tenantry:Email:Smtp configured, invitation emails go out over SMTP (MailKit).</summary>
public sealed class SmtpInvitationEmailTests(SmtpInvitationEmailTests.SmtpApp app) : IClassFixture<SmtpInvitationEmailTests.SmtpApp>
{
    public sealed class SmtpApp : TenantryApp
    {
        public FakeSmtpServer Smtp { get; } = new();

        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Tenantry:Email:Smtp:Host"] = "127.0.0.1";
            settings["Tenantry:Email:Smtp:Port"] = Smtp.Port.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
            settings["Tenantry:Email:Smtp:Security"] = "None";
            settings["Tenantry:Email:From"] = "Tenantry <invites@example.com>";
            settings["Tenantry:Outbox:PollInterval"] = "00:00:00.200";
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_invitation_email_is_delivered_over_smtp()
    {
        var api = app.System;
        var owner = await api.SignUpAsync(displayName: "Sam");
        var ws = await api.CreateWorkspaceAsync(owner, "Postal");
        var email = SystemApi.NewEmail("smtp");

        var invitation = await api.InvitedAsync(owner, ws, email, await api.RoleIdAsync(owner, ws, "Member"));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!app.Smtp.Messages.Any(m => m.Recipients.Contains(email)))
        {
            Assert.True(DateTime.UtcNow < deadline, "No email reached the SMTP server: " + string.Join("\n", app.ServerLog.Entries));
            await Task.Delay(50);
        }
        var (_, data) = app.Smtp.Messages.Single(m => m.Recipients.Contains(email));
        Assert.Contains("Subject: You are invited to join Postal", data);
        Assert.Contains("From: Tenantry <invites@example.com>", data);
        Assert.Contains("Sam invited you to join the workspace Postal as Member.", data);
        // Marked sent right after the server accepted it.
        while (Assert.Single(await app.OutboxAsync(invitation)).SentAt is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The delivered message was not marked sent");
            await Task.Delay(50);
        }
    }
}
