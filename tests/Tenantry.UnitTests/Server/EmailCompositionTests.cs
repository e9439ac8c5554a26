using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Outbox;
using Tenantry.Server.Email;
using Tenantry.Server.Localization;

namespace Tenantry.UnitTests.Server;

/// <summary>What the emails say (issue 13): a verification email carries its code and the link, or the token when no link is configured.</summary>
public sealed class EmailCompositionTests
{
    private const string Token = "dG9rZW4tdGhhdC1pcy00My1jaGFyYWN0ZXJzLWxvbmctLQ";

    private static readonly IStringLocalizer<Messages> s_messages = new StringLocalizer<Messages>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

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
