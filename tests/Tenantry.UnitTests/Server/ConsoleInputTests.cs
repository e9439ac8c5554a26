using Tenantry.Server.WebConsole;

namespace Tenantry.UnitTests.Server;

/// <summary>The console's small input rules: where a sign-in may send the browser back to, CSV cells, the audit filter.</summary>
public sealed class ConsoleInputTests
{
    [Theory]
    [InlineData("/console/workspaces/ws_1", "/console/workspaces/ws_1")]
    [InlineData("/console?x=1", "/console?x=1")]
    [InlineData("/console", "/console")]
    [InlineData(null, "/console")]
    [InlineData("", "/console")]
    [InlineData("https://evil.example/console", "/console")]
    [InlineData("//evil.example/console", "/console")]
    [InlineData("/console\\..\\evil", "/console")]
    [InlineData("/consolex", "/console")]
    [InlineData("/web/v1/auth/me", "/console")]
    public void Sign_in_returns_only_to_console_pages(string? returnUrl, string expected) =>
        Assert.Equal(expected, ConsolePaths.SafeReturn(returnUrl));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData(null, "")]
    public void Csv_cells_are_quoted_and_never_formulas(string? value, string expected) => Assert.Equal(expected, AuditConsole.Cell(value));

    [Fact]
    public void The_audit_filter_reads_utc_times_and_refuses_what_is_not_one()
    {
        var filter = AuditConsole.Filter(" member.removed ", "", "2026-01-02T03:04", null);
        Assert.True(filter.IsSuccess);
        Assert.Equal("member.removed", filter.Value.Action);
        Assert.Null(filter.Value.ActorUserId);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 0, DateTimeKind.Utc), filter.Value.From);
        Assert.Equal(DateTimeKind.Utc, filter.Value.From!.Value.Kind);

        var bad = AuditConsole.Filter(null, null, "yesterday-ish", "2026-13-45");
        Assert.False(bad.IsSuccess);
        var problems = Assert.IsType<Tenantry.Domain.Common.ValidationFailed>(bad.Error).Errors;
        Assert.Equal(["from", "to"], problems.Select(p => p.Field).ToArray());
    }
}
