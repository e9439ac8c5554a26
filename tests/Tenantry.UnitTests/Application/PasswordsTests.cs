using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts;
using Tenantry.Domain.Accounts;

namespace Tenantry.UnitTests.Application;

/// <summary>Password hashes: the configured PBKDF2 iteration count, and the upgrade of hashes made with fewer.</summary>
public sealed class PasswordsTests
{
    private static Passwords With(int iterations) => new(Options.Create(new AuthOptions { PasswordHashIterations = iterations }));

    // ASP.NET Core Identity's V3 format: 0x01, PRF (4 bytes), iteration count (4 bytes), salt length (4 bytes), all big-endian.
    private static int IterationsOf(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
    }

    [Fact]
    public void The_default_is_100000_iterations_of_pbkdf2() =>
        Assert.Equal(100_000, IterationsOf(new Passwords(Options.Create(new AuthOptions())).Hash("correct horse battery staple")));

    [Fact]
    public void A_configured_count_is_used() => Assert.Equal(1_000, IterationsOf(With(1_000).Hash("correct horse battery staple")));

    [Fact]
    public void A_hash_made_with_fewer_iterations_still_verifies_and_asks_to_be_upgraded()
    {
        var weak = With(1_000).Hash("correct horse battery staple");
        Assert.Equal(PasswordCheck.CorrectButOutdated, With(100_000).Verify(UserWith(weak), "correct horse battery staple"));
        Assert.Equal(PasswordCheck.Wrong, With(100_000).Verify(UserWith(weak), "wrong horse battery staple"));
        Assert.Equal(PasswordCheck.Correct, With(1_000).Verify(UserWith(weak), "correct horse battery staple"));
    }

    private static UserAccount UserWith(string hash)
    {
        Assert.True(EmailAddress.TryParse("a@example.com", out var email));
        return UserAccount.Register(email, "A", hash, DateTimeOffset.UtcNow);
    }
}
