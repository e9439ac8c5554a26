using System.Security.Cryptography;
using System.Text;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Lockouts;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.SecureChannels;

namespace Tenantry.UnitTests.Application;

public sealed class SecurityPrimitivesTests
{
    [Theory]
    [InlineData(0, 60)]
    [InlineData(1, 120)]
    [InlineData(3, 480)]
    [InlineData(6, 3600)]
    [InlineData(1000, 3600)]
    public void The_lockout_doubles_up_to_the_maximum(int doublings, int seconds)
    {
        var settings = new AuthOptions { LockoutBase = TimeSpan.FromMinutes(1), LockoutMaximum = TimeSpan.FromHours(1) };
        Assert.Equal(TimeSpan.FromSeconds(seconds), AuthLockouts.Duration(doublings, settings));
    }

    [Fact]
    public void Lockout_keys_hide_the_email_and_separate_the_scopes()
    {
        var password = AuthLockouts.KeyOf(LockoutScope.Password, "ada@example.com");
        Assert.DoesNotContain("ada", password, StringComparison.Ordinal);
        Assert.NotEqual(password, AuthLockouts.KeyOf(LockoutScope.SecondFactor, "ada@example.com"));
        Assert.StartsWith("pwd:", password);
        Assert.StartsWith("mfa:", AuthLockouts.KeyOf(LockoutScope.SecondFactor, "usr_1"));
    }

    [Fact]
    public void Recovery_codes_are_random_80_bit_values_read_forgivingly()
    {
        var codes = RecoveryCodes.Generate();
        Assert.Equal(10, codes.Distinct().Count());
        var code = codes[0];
        Assert.Equal(RecoveryCodes.Hash(code), RecoveryCodes.Hash(" " + code.ToUpperInvariant().Replace("-", " ", StringComparison.Ordinal) + " "));
        Assert.Equal("00111", RecoveryCodes.Normalize("0o1il"));
        Assert.NotEqual(RecoveryCodes.Hash(code), RecoveryCodes.Hash(codes[1]));
    }

    [Fact]
    public void A_totp_code_matches_its_step_and_one_step_of_drift_only()
    {
        var secret = TotpCodes.NewSecret();
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 15, TimeSpan.Zero);
        var step = now.ToUnixTimeSeconds() / 30;

        Assert.Equal(step, TotpCodes.MatchStep(secret, TotpCodes.Compute(secret, now), now));
        Assert.Equal(step - 1, TotpCodes.MatchStep(secret, TotpCodes.Compute(secret, now.AddSeconds(-30)), now));
        Assert.Equal(step + 1, TotpCodes.MatchStep(secret, TotpCodes.Compute(secret, now.AddSeconds(30)), now));
        Assert.Null(TotpCodes.MatchStep(secret, TotpCodes.Compute(secret, now.AddSeconds(90)), now));
        Assert.Null(TotpCodes.MatchStep(secret, "12345", now));
        Assert.Null(TotpCodes.MatchStep(secret, "abcdef", now));
    }

    /// <summary>
    /// RFC 6238 appendix B, SHA-1 (secret "12345678901234567890"): the RFC lists 8-digit codes; the
    /// service's codes have 6 digits, which are the last 6 of the 8 (both are the same truncated
    /// HMAC value modulo 10^digits).
    /// </summary>
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Totp_codes_are_the_rfc_6238_test_vectors(long unixSeconds, string rfcCode)
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        var code = rfcCode[^TotpCodes.Digits..];

        Assert.Equal(6, TotpCodes.Digits);
        Assert.Equal(code, TotpCodes.Compute(secret, at));
        Assert.Equal(unixSeconds / TotpCodes.PeriodSeconds, TotpCodes.MatchStep(secret, code, at));
    }

    /// <summary>
    /// The channel key for known inputs, against a value computed independently (Python's hmac and
    /// hashlib, HKDF written out from RFC 5869 and checked against its test case A.1):
    /// <code>
    /// prk = hmac.new(b"sch_test", bytes(range(32)), sha256).digest()
    /// okm = hmac.new(prk, b"tenantry-secure-channel-v1" + b"\x01", sha256).digest()
    /// </code>
    /// </summary>
    [Fact]
    public void The_channel_key_is_hkdf_sha256_with_the_channel_id_as_salt_and_the_versioned_info()
    {
        var sharedSecret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var key = SecureChannelCrypto.DeriveKey(sharedSecret, "sch_test");

        Assert.Equal("6b15db88c08f20a0c2e3ba4b2be764d6779dd3d31c88d8a9e35f4ea6974eab41", Convert.ToHexStringLower(key));
    }

    [Fact]
    public void Sealed_messages_open_only_unchanged_and_with_the_right_key()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var sealedMessage = SecureChannelCrypto.Seal(key, Encoding.UTF8.GetBytes("""{"a":1}"""));
        var iv = Convert.FromBase64String(sealedMessage.Iv);
        var ciphertext = Convert.FromBase64String(sealedMessage.Ciphertext);
        var tag = Convert.FromBase64String(sealedMessage.Tag);

        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(SecureChannelCrypto.Open(key, iv, ciphertext, tag)!));
        ciphertext[0] ^= 1;
        Assert.Null(SecureChannelCrypto.Open(key, iv, ciphertext, tag));
        ciphertext[0] ^= 1;
        Assert.Null(SecureChannelCrypto.Open(RandomNumberGenerator.GetBytes(32), iv, ciphertext, tag));
        Assert.Null(SecureChannelCrypto.Open(key, iv[..8], ciphertext, tag));
    }

    [Fact]
    public void Both_sides_of_a_handshake_derive_the_same_key()
    {
        using var client = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var clientKey = SecureChannelCrypto.ImportClientKey(Convert.ToBase64String(client.ExportSubjectPublicKeyInfo()))!;
        var (serverPublicKey, serverSide) = SecureChannelCrypto.Agree(clientKey, "sch_test");

        using var server = ECDiffieHellman.Create();
        server.ImportSubjectPublicKeyInfo(Convert.FromBase64String(serverPublicKey), out _);
        Assert.Equal(serverSide, SecureChannelCrypto.DeriveKey(client.DeriveRawSecretAgreement(server.PublicKey), "sch_test"));
        Assert.NotEqual(serverSide, SecureChannelCrypto.DeriveKey(client.DeriveRawSecretAgreement(server.PublicKey), "sch_other"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("%%%")]
    [InlineData("AAAA")]
    public void Bad_client_keys_are_refused(string? key) => Assert.Null(SecureChannelCrypto.ImportClientKey(key));
}
