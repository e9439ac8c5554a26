using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>Accept-Language negotiation (CONTRACT 3) and real translations in all five languages.</summary>
public sealed class LocalizationTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    [Theory]
    [InlineData(null, "en")]
    [InlineData("en", "en")]
    [InlineData("zh", "zh")]
    [InlineData("zh-Hant", "zh-Hant")]
    [InlineData("ja", "ja")]
    [InlineData("vi", "vi")]
    [InlineData("ja-JP", "ja")]
    [InlineData("vi-VN", "vi")]
    [InlineData("zh-CN", "zh")]
    [InlineData("zh-SG", "zh")]
    [InlineData("zh-Hans", "zh")]
    [InlineData("zh-TW", "zh-Hant")]
    [InlineData("zh-HK", "zh-Hant")]
    [InlineData("zh-MO", "zh-Hant")]
    [InlineData("en-GB", "en")]
    [InlineData("fr-FR", "en")]
    [InlineData("fr, de;q=0.9", "en")]
    [InlineData("fr, ja;q=0.5", "ja")]
    [InlineData("en;q=0.3, vi;q=0.8, ja;q=0.5", "vi")]
    [InlineData("zh-TW;q=0.9, zh-CN;q=0.95", "zh")]
    [InlineData("ja;q=0, vi;q=0.1", "vi")]
    [InlineData("*", "en")]
    [InlineData("!!garbage!!", "en")]
    public async Task Errors_and_enum_labels_follow_the_negotiated_language(string? acceptLanguage, string expected)
    {
        var error = await _api.GetAsync("/web/v1/system/workspaces/mine", language: acceptLanguage);
        error.AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
        Assert.Equal(Catalog.Text(expected, "Error.InvalidToken"), error.MessageText);

        var enums = (await _api.GetAsync("/web/v1/system/enums", language: acceptLanguage)).AssertOk();
        var sandbox = enums.GetProperty("workspaceKind").EnumerateArray().Single(e => e.GetProperty("code").GetString() == "SANDBOX");
        Assert.Equal(Catalog.Text(expected, "Enum.WorkspaceKind.SANDBOX.Description"), sandbox.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("zh")]
    [InlineData("zh-Hant")]
    [InlineData("ja")]
    [InlineData("vi")]
    public async Task Every_language_is_a_real_translation(string language)
    {
        var english = await _api.PostAsync("/web/v1/auth/sign-up", new { email = "bad", password = "x", displayName = "" }, language: "en");
        var translated = await _api.PostAsync("/web/v1/auth/sign-up", new { email = "bad", password = "x", displayName = "" }, language: language);

        translated.AssertEnvelope(HttpStatusCode.BadRequest, "4000");
        Assert.NotEqual(english.MessageText, translated.MessageText);
        Assert.Equal(Catalog.Text(language, "Error.ValidationFailed"), translated.MessageText);
        var passwordProblem = translated.AssertValidationError("$.password");
        Assert.Equal(Catalog.Text(language, "Validation.TooShort").Replace("{min}", "8", StringComparison.Ordinal), passwordProblem);
        Assert.NotEqual(english.AssertValidationError("$.password"), passwordProblem);
        // Codes are never localized.
        Assert.Equal(english.Code, translated.Code);
    }

    [Fact]
    public async Task List_item_enums_are_localized_and_codes_are_not()
    {
        var user = await _api.SignUpAsync();
        await _api.CreateWorkspaceAsync(user, kind: "SANDBOX");
        var item = (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken, language: "zh-Hant")).AssertOk("2.0.0")[0];

        var kind = item.GetProperty("workspaceKind");
        Assert.Equal("SANDBOX", kind.GetProperty("code").GetString());
        Assert.Equal(10010802, kind.GetProperty("value").GetInt32());
        Assert.Equal(Catalog.Text("zh-Hant", "Enum.WorkspaceKind.SANDBOX.Label"), kind.GetProperty("label").GetString());
        Assert.Equal(Catalog.Text("zh-Hant", "Enum.JoinSource.CREATED.Description"), item.GetProperty("joinSource").GetProperty("description").GetString());
    }
}
