using Tenantry.Application.Accounts.Tokens;

namespace Tenantry.UnitTests.Application;

public sealed class VerifiedTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static AccessTokenClaims Claims(string user, DateTimeOffset expires) => new(user, "ses_" + user, MfaVerified: false, expires);

    [Fact]
    public void A_token_is_found_by_its_characters_inside_a_longer_text()
    {
        var tokens = new VerifiedTokens(maxEntries: 10);
        tokens.Add("eyJ.token.one", Claims("usr_1", Now.AddMinutes(10)), expiredBefore: Now);

        var header = "Bearer eyJ.token.one";
        Assert.True(tokens.TryGet(header.AsSpan("Bearer ".Length), out var claims));
        Assert.Equal("usr_1", claims.UserId);
        Assert.False(tokens.TryGet("eyJ.token.on".AsSpan(), out _));
        Assert.False(tokens.TryGet("eyJ.token.one ".AsSpan(), out _));
    }

    [Fact]
    public void Expired_tokens_are_swept_once_a_sweep_interval_has_passed()
    {
        var tokens = new VerifiedTokens(maxEntries: 10);
        tokens.Add("old", Claims("usr_old", Now.AddMinutes(1)), expiredBefore: Now);
        tokens.Add("fresh", Claims("usr_fresh", Now.AddMinutes(30)), expiredBefore: Now.AddSeconds(30));
        Assert.Equal(2, tokens.Count); // within the interval of the first sweep: nothing swept yet

        var later = Now + VerifiedTokens.SweepInterval + TimeSpan.FromMinutes(1);
        tokens.Add("newer", Claims("usr_newer", later.AddMinutes(10)), expiredBefore: later);

        Assert.False(tokens.TryGet("old", out _));
        Assert.True(tokens.TryGet("fresh", out _));
        Assert.True(tokens.TryGet("newer", out _));
        Assert.Equal(2, tokens.Count);
    }

    [Fact]
    public void Past_the_bound_with_nothing_expired_everything_is_forgotten()
    {
        var tokens = new VerifiedTokens(maxEntries: 3);
        for (var i = 0; i < 3; i++)
        {
            tokens.Add($"t{i}", Claims($"usr_{i}", Now.AddMinutes(10)), expiredBefore: Now);
        }
        Assert.Equal(3, tokens.Count);

        tokens.Add("t3", Claims("usr_3", Now.AddMinutes(10)), expiredBefore: Now);

        Assert.Equal(0, tokens.Count);
        Assert.False(tokens.TryGet("t0", out _));
        Assert.False(tokens.TryGet("t3", out _));
    }

    [Fact]
    public void Adding_a_known_token_again_does_not_count_it_twice()
    {
        var tokens = new VerifiedTokens(maxEntries: 10);
        tokens.Add("same", Claims("usr_1", Now.AddMinutes(10)), expiredBefore: Now);
        tokens.Add("same", Claims("usr_1", Now.AddMinutes(10)), expiredBefore: Now);
        Assert.Equal(1, tokens.Count);
    }
}
