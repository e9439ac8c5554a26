using Tenantry.Cli;
using Tenantry.Cli.Operator;

namespace Tenantry.UnitTests.Cli;

/// <summary>How <c>tenantry webhooks replay-failed --since</c> reads its time.</summary>
public sealed class WebhookCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90m", "2026-12-06T10:30:00+00:00")]
    [InlineData("12h", "2026-12-06T00:00:00+00:00")]
    [InlineData("3d", "2026-12-03T12:00:00+00:00")]
    [InlineData("45s", "2026-12-06T11:59:15+00:00")]
    [InlineData("2026-12-05T08:00:00Z", "2026-12-05T08:00:00+00:00")]
    [InlineData("2026-12-05T08:00:00", "2026-12-05T08:00:00+00:00")]
    [InlineData("2026-12-05T09:00:00+01:00", "2026-12-05T08:00:00+00:00")]
    public void Since_is_a_date_time_in_UTC_unless_it_says_otherwise_or_a_time_ago(string since, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), WebhookCommands.ParseSince(since, Now));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("12w")]
    [InlineData("-3d")]
    [InlineData("")]
    public void Anything_else_is_a_usage_error(string since)
    {
        var error = Assert.Throws<CliException>(() => WebhookCommands.ParseSince(since, Now));
        Assert.Equal(CliExit.Usage, error.ExitCode);
        Assert.Contains("--since", error.Message, StringComparison.Ordinal);
    }
}
