using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;
using Tenantry.Domain.Workspaces;

namespace Tenantry.UnitTests.Domain;

public sealed class IdentifierTests
{
    [Fact]
    public void Ids_are_prefixed_unguessable_and_time_ordered()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 1000).Select(_ => EntityId.New(EntityId.Workspace, now)).ToList();
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^ws_[0-9a-hjkmnp-tv-z]{26}$", id));
        Assert.All(ids, id => Assert.True(EntityId.LooksValid(id, EntityId.Workspace)));

        var later = EntityId.New(EntityId.Workspace, now.AddMilliseconds(5));
        Assert.True(string.CompareOrdinal(later, ids[0]) > 0);
    }

    [Theory]
    [InlineData("ws_")]
    [InlineData("usr_01m8a9t4fzp0xr7sf7vy7hrynj")]
    [InlineData("ws_01M8A9T56KDM2AVR4TK56NCFBM")]
    [InlineData("ws_01m8a9t56kdm2avr4tk56ncfbu")]
    [InlineData(null)]
    public void Ids_of_the_wrong_shape_are_recognized(string? id) => Assert.False(EntityId.LooksValid(id, EntityId.Workspace));

    [Theory]
    [InlineData("Ada@Example.COM", "ada@example.com")]
    [InlineData("  bob@example.org ", "bob@example.org")]
    public void Emails_normalize_case_insensitively(string input, string normalized)
    {
        Assert.True(EmailAddress.TryParse(input, out var email));
        Assert.Equal(normalized, email.Normalized);
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("Ada <ada@example.com>")]
    [InlineData("ada@localhost")]
    [InlineData("")]
    public void Malformed_emails_are_refused(string input) => Assert.False(EmailAddress.TryParse(input, out _));

    [Theory]
    [InlineData("Ada Labs", "ada-labs-")]
    [InlineData("Café Zürich!", "cafe-zurich-")]
    [InlineData("工作区", "ws-")]
    public void Slugs_come_from_names_with_a_random_suffix(string name, string prefix)
    {
        var slug = Slugs.FromName(name);
        Assert.StartsWith(prefix, slug);
        Assert.True(Slugs.IsValid(slug), slug);
        Assert.NotEqual(slug, Slugs.FromName(name));
    }

    [Theory]
    [InlineData("UTC", true)]
    [InlineData("Europe/Paris", true)]
    [InlineData("America/Argentina/Buenos_Aires", true)]
    [InlineData("Pacific Standard Time", false)]
    [InlineData("europe/paris", false)]
    [InlineData("", false)]
    public void Timezones_are_iana_ids(string id, bool valid) => Assert.Equal(valid, Timezones.IsValid(id));
}
