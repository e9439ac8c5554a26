using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>
/// Without SMTP (production without mail), emails are only logged, and the log never holds what the body carries:
/// the verification code, the link tokens, the links. Every level is captured, the framework's debug output included.
/// </summary>
public sealed class EmailSecretsTests(EmailSecretsTests.LogOnlyApp app) : IClassFixture<EmailSecretsTests.LogOnlyApp>
{
    public sealed class LogOnlyApp : TenantryApp
    {
        protected override LogLevel ServerLogLevel => LogLevel.Trace;

        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Logging:LogLevel:Default"] = "Trace";
            settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace";
            // Only this test's capture gets it all; the console stays as usual.
            settings["Logging:Console:LogLevel:Default"] = "Warning";
            settings["Tenantry:Outbox:PollInterval"] = "00:00:00.200";
            settings["Tenantry:EmailVerification:VerifyUrl"] = MailApp.VerifyUrl;
            settings["Tenantry:Invitations:AcceptUrl"] = MailApp.AcceptUrl;
        }
    }

    private readonly SystemApi _api = app.System;

    /// <summary>The plaintext of a delivered message's encrypted fields, decrypted with the server's own key ring.</summary>
    private async Task<T> DeliveredAsync<T>(string kind, string mentioning)
    {
        Data.Outbox.OutboxMessage? message = null;
        await Eventually.TrueAsync(async () =>
        {
            message = (await app.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Kind == kind && m.SentAt != null).ToListAsync()))
                .SingleOrDefault(m => m.Payload.Contains(mentioning, StringComparison.Ordinal));
            return message is not null;
        }, TimeSpan.FromSeconds(30));
        return OutboxWriter.Read<T>(message!);
    }

    private string Unprotect(string stored) => app.Services.GetRequiredService<SecretsAtRest>().UnprotectText(SecretKind.OutboxSecret, stored);

    private void AssertNotLogged(params string[] secrets)
    {
        var entries = app.ServerLog.Entries.ToList();
        foreach (var secret in secrets)
        {
            var standalone = new Regex($"(?<![0-9A-Za-z_-]){Regex.Escape(secret)}(?![0-9A-Za-z_-])");
            Assert.DoesNotContain(entries, e => standalone.IsMatch(e));
        }
        Assert.DoesNotContain(entries, e => e.Contains("?token=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verification_code_token_and_link_never_reach_the_log()
    {
        var user = await _api.SignUpAsync(SystemApi.NewEmail("logged"));

        var payload = await DeliveredAsync<EmailVerificationPayload>(OutboxKinds.EmailVerification, user.UserId);
        var (token, code) = (Unprotect(payload.ProtectedToken), Unprotect(payload.ProtectedCode));

        // The email was "sent" by logging who would get what (and the capture does see debug output).
        Assert.Contains(app.ServerLog.Entries, e => e.Contains(user.Email, StringComparison.Ordinal) && e.Contains("Verify your email address", StringComparison.Ordinal));
        Assert.Contains(app.ServerLog.Entries, e => e.StartsWith("Debug ", StringComparison.Ordinal) || e.StartsWith("Trace ", StringComparison.Ordinal));
        AssertNotLogged(token, code);
        // They are the real secrets, and using them over HTTP logs them no more than sending them did.
        (await _api.PostAsync("/web/v1/auth/email/verify", new { code }, user.AccessToken)).AssertOk();
        AssertNotLogged(token, code);
    }

    [Fact]
    public async Task The_invitation_token_and_accept_link_never_reach_the_log()
    {
        var owner = await _api.SignUpAsync();
        var ws = await _api.CreateWorkspaceAsync(owner, "Logged Inc");
        var invitee = await _api.SignUpAsync(SystemApi.NewEmail("logged-invitee"));
        var invitationId = await _api.InvitedAsync(owner, ws, invitee.Email, await _api.RoleIdAsync(owner, ws, "Member"));

        var payload = await DeliveredAsync<InvitationEmailPayload>(OutboxKinds.InvitationEmail, invitationId);
        var token = Unprotect(payload.ProtectedToken!);

        Assert.Contains(app.ServerLog.Entries, e => e.Contains($"invitation {invitationId}", StringComparison.Ordinal));
        AssertNotLogged(token);
        (await _api.AcceptAsync(invitee, invitationId, token)).AssertOk("2.0.0");
        AssertNotLogged(token);
    }
}
