using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Invitations;
using Tenantry.Application.Outbox;
using Tenantry.Server.Email;
using Tenantry.Server.Localization;

namespace Tenantry.UnitTests.Server;

/// <summary>
/// What the emails say (issue 13): an invitation's token goes into its accept link when the link has a
/// <c>{token}</c> placeholder, and is shown as text otherwise (so any client can accept with it); a
/// verification email carries its code and the link, or the token when no link is configured.
/// </summary>
public sealed class EmailCompositionTests
{
    private const string Token = "dG9rZW4tdGhhdC1pcy00My1jaGFyYWN0ZXJzLWxvbmctLQ";

    private static readonly IStringLocalizer<Messages> s_messages = new StringLocalizer<Messages>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private static readonly InvitationEmailPayload s_invitation = new(
        "inv_01m95k7b9x4q8p6h8xbhs7084g", "ann@example.com", "ws_1", "Acme", "Olga", "Member", new DateTime(2026, 12, 24, 9, 30, 0, DateTimeKind.Utc), "en");

    private static string InvitationBody(string? acceptUrl) =>
        new InvitationEmailDeliverer(null!, null!, null!, s_messages, Options.Create(new InvitationOptions { AcceptUrl = acceptUrl }))
            .Compose(s_invitation, Token).Body;

    [Fact]
    public void The_token_goes_into_the_accept_link_when_it_has_a_place_there()
    {
        var body = InvitationBody("https://app.example.com/invitations/{invitationId}?token={token}");

        Assert.Contains($"Open the invitation: https://app.example.com/invitations/inv_01m95k7b9x4q8p6h8xbhs7084g?token={Token}", body);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(body, Token));
    }

    [Fact]
    public void A_link_without_the_token_placeholder_keeps_working_and_the_token_is_shown_beside_it()
    {
        var body = InvitationBody("https://app.example.com/invitations/{invitationId}");

        Assert.Contains("Open the invitation: https://app.example.com/invitations/inv_01m95k7b9x4q8p6h8xbhs7084g\n", body);
        Assert.EndsWith($"To accept in an app that asks for them: invitation inv_01m95k7b9x4q8p6h8xbhs7084g, token {Token}", body);
    }

    [Fact]
    public void Without_a_link_the_email_shows_the_invitation_id_and_the_token()
    {
        var body = InvitationBody(null);

        Assert.StartsWith("Olga invited you to join the workspace Acme as Member.", body);
        Assert.DoesNotContain("http", body);
        Assert.EndsWith($"invitation inv_01m95k7b9x4q8p6h8xbhs7084g, token {Token}", body);
    }

    [Fact]
    public void A_message_queued_before_tokens_existed_is_sent_as_it_was()
    {
        var body = new InvitationEmailDeliverer(null!, null!, null!, s_messages, Options.Create(new InvitationOptions { AcceptUrl = "https://x.example/{invitationId}?token={token}" }))
            .Compose(s_invitation, token: null).Body;

        Assert.Contains("Open the invitation: https://x.example/inv_01m95k7b9x4q8p6h8xbhs7084g?token={token}", body);
        Assert.DoesNotContain("To accept in an app", body);
    }

    [Theory]
    [InlineData("https://app.example.com/verify?token={token}", "Or open this link: https://app.example.com/verify?token=" + Token)]
    [InlineData(null, "Or give this token to your app: " + Token)]
    public void The_verification_email_carries_the_code_and_the_link_or_the_token(string? verifyUrl, string last)
    {
        var payload = new EmailVerificationPayload("usr_1", "emv_1", "ann@example.com", "Ann", "dp1:x", "dp1:y", new DateTime(2026, 12, 24, 9, 30, 0, DateTimeKind.Utc), "en");

        var email = new EmailVerificationDeliverer(null!, null!, null!, s_messages, Options.Create(new EmailVerificationOptions { VerifyUrl = verifyUrl }))
            .Compose(payload, Token, "048213");

        Assert.Equal("ann@example.com", email.To);
        Assert.Equal("Verify your email address", email.Subject);
        Assert.StartsWith("Hello Ann,\n\nYour verification code is 048213. It expires on 2026-12-24 09:30 UTC.", email.Body);
        Assert.EndsWith(last, email.Body);
        Assert.Equal("email verification emv_1", email.Reference);
    }
}
