using System.Net;
using Tenantry.Domain.Policies;

namespace Tenantry.UnitTests.Domain;

public sealed class IpAllowlistTests
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0/24")]
    [InlineData(" 198.51.100.7 ", "198.51.100.7/32")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Entries_are_canonicalized(string entry, string canonical)
    {
        Assert.True(IpAllowlist.TryNormalize([entry], out var normalized, out var invalid));
        Assert.Empty(invalid);
        Assert.Equal([canonical], normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1/8")]
    [InlineData("300.1.1.1")]
    [InlineData("example.com")]
    [InlineData("10.0.0.0/")]
    [InlineData("/8")]
    public void Invalid_entries_are_reported_by_index(string? entry)
    {
        Assert.False(IpAllowlist.TryNormalize(["10.0.0.0/8", entry], out _, out var invalid));
        Assert.Equal([1], invalid);
    }

    [Fact]
    public void Duplicates_collapse() =>
        Assert.Single(IpAllowlist.TryNormalize(["10.0.0.0/8", "10.0.0.0/8"], out var n, out _) ? n : []);

    [Theory]
    [InlineData("203.0.113.9", true)]
    [InlineData("::ffff:203.0.113.9", true)]
    [InlineData("203.0.114.9", false)]
    [InlineData("2001:db8::9", false)]
    public void Admits_checks_membership_including_ipv4_mapped_addresses(string ip, bool expected) =>
        Assert.Equal(expected, IpAllowlist.Admits(["203.0.113.0/24"], IPAddress.Parse(ip)));

    [Fact]
    public void An_empty_list_admits_anyone_even_without_an_address() => Assert.True(IpAllowlist.Admits([], null));
}
