using Tenantry.Server.Localization;

namespace Tenantry.UnitTests.Server;

public sealed class LanguageNegotiationTests
{
    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("ZH-tw", "zh-Hant")]
    [InlineData("zh-Hant-HK", "zh-Hant")]
    [InlineData("zh-Hans-TW", "zh")]
    [InlineData("zh_CN", "zh")]
    [InlineData("ja-JP", "ja")]
    [InlineData("vi", "vi")]
    [InlineData("ko-KR", null)]
    [InlineData("*", null)]
    public void Tags_map_to_supported_languages(string tag, string? language) => Assert.Equal(language, LanguageNegotiation.Map(tag));

    [Theory]
    [InlineData("", "en")]
    [InlineData("de-DE,de;q=0.9,ja;q=0.8,en;q=0.7", "ja")]
    [InlineData("vi;q=0.5, zh-HK;q=0.5", "vi")]
    [InlineData("en;q=0, ko", "en")]
    [InlineData("ja;q=abc", "en")]
    public void The_highest_quality_supported_language_wins(string header, string expected) =>
        Assert.Equal(expected, LanguageNegotiation.Negotiate(header));
}
