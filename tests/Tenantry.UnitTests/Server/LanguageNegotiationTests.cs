using Microsoft.Extensions.Primitives;
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

    [Fact]
    public void A_remembered_header_value_answers_what_negotiation_answers()
    {
        // Twice: the second answer comes from the remembered values.
        foreach (var _ in new[] { 1, 2 })
        {
            Assert.Equal("ja", ResponseLanguage.CultureFor("de-DE,de;q=0.9,ja;q=0.8").Name);
            Assert.Equal("zh-Hant", ResponseLanguage.CultureFor("zh-TW").Name);
            Assert.Equal("en", ResponseLanguage.CultureFor("ko-KR").Name);
        }
    }

    [Fact]
    public void Repeated_and_missing_headers_are_negotiated_as_a_whole()
    {
        Assert.Equal("vi", ResponseLanguage.CultureFor(new StringValues(["ko", "vi;q=0.4"])).Name);
        Assert.Equal("en", ResponseLanguage.CultureFor(StringValues.Empty).Name);
    }
}
