using Tenantry.Application.Accounts.Captcha;

namespace Tenantry.UnitTests.Application;

/// <summary>The puzzles must be the ones Cap's widget derives in the browser, or no browser could ever solve a challenge.</summary>
public sealed class CaptchaPuzzleTests
{
    // Expected values computed with the widget's own generator (JavaScript, node).
    [Theory]
    [InlineData("abc1", 32, "a240feb00f42af1b0e9dab2bc4ea4c37")]
    [InlineData("abc1d", 4, "e6e4")]
    [InlineData("CfDJ8Ab-_x9", 32, "f3e992a7f61f5d59ab3a03e38384de40")]
    [InlineData("tok50d", 4, "66a8")]
    public void The_generator_matches_caps(string seed, int length, string expected) => Assert.Equal(expected, CapPrng.Hex(seed, length));

    [Fact]
    public void A_puzzle_is_salt_and_target_from_the_token_and_its_index()
    {
        var (salt, target) = CaptchaPasses.Puzzle("abc", 1, 32, 4);

        Assert.Equal(("a240feb00f42af1b0e9dab2bc4ea4c37", "e6e4"), (salt, target));
    }

    [Fact]
    public void A_solution_is_a_number_whose_hash_starts_with_the_target()
    {
        var (salt, target) = CaptchaPasses.Puzzle("abc", 1, 32, 2);
        var nonce = 0L;
        while (!CaptchaPasses.IsSolution(salt, target, nonce))
        {
            nonce++;
        }

        Assert.False(CaptchaPasses.IsSolution(salt, "zz", nonce));
        Assert.True(CaptchaPasses.IsSolution(salt, "", nonce + 1));
    }
}
