using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data.Keys;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>Signing keys (and, in their own tests, TOTP secrets and channel keys) are encrypted with Data Protection, whose key ring is in the database.</summary>
public sealed class SecretsAtRestTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private static bool IsPkcs8(string base64)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(base64), out _);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Signing_keys_are_stored_encrypted()
    {
        var stored = await app.WithDbAsync(db => db.SigningKeys.Select(k => k.PrivateKey).ToListAsync());

        Assert.NotEmpty(stored);
        Assert.All(stored, key =>
        {
            Assert.StartsWith("dp1:", key);
            Assert.False(IsPkcs8(key["dp1:".Length..]), "a stored signing key is a readable private key");
        });
    }

    [Fact]
    public async Task A_key_stored_in_plaintext_before_encryption_is_still_used_and_gets_encrypted()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var newest = await app.WithDbAsync(db => db.SigningKeys.MaxAsync(k => k.ActivatesAt));
        await Task.Delay(50);
        var now = DateTime.UtcNow;
        var legacy = new SigningKey
        {
            Kid = "legacy" + Guid.NewGuid().ToString("N")[..10],
            PrivateKey = Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey()),
            CreatedAt = now,
            // The newest active key signs: this one, from now on.
            ActivatesAt = newest.AddMilliseconds(10),
            RetiresAt = now.AddDays(7),
            ExpiresAt = now.AddDays(8),
        };
        await app.WithDbAsync(async db =>
        {
            db.SigningKeys.Add(legacy);
            await db.SaveChangesAsync();
        });

        await app.Services.GetRequiredService<SigningKeyRing>().RefreshAsync(CancellationToken.None);

        var stored = await app.WithDbAsync(db => db.SigningKeys.Where(k => k.Kid == legacy.Kid).Select(k => k.PrivateKey).SingleAsync());
        Assert.StartsWith("dp1:", stored);
        var user = await app.System.SignUpAsync();
        Assert.Equal(legacy.Kid, new JsonWebToken(user.AccessToken).Kid);
        (await app.System.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertOk();
    }

    [Fact]
    public async Task The_data_protection_key_ring_lives_in_the_database()
    {
        var keys = await app.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());

        var key = Assert.Single(keys);
        Assert.Contains("<key ", key);
    }
}

/// <summary>A server whose Data Protection key ring is itself encrypted with a certificate.</summary>
public sealed class CertificateProtectedApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=tenantry-key-ring-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(Database.DataDir!, "key-ring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        settings["Tenantry:DataProtection:CertificatePath"] = path;
        settings["Tenantry:DataProtection:CertificatePassword"] = "pfx-password";
    }
}

public sealed class CertificateProtectedKeyRingTests(CertificateProtectedApp app) : IClassFixture<CertificateProtectedApp>
{
    [Fact]
    public async Task With_a_certificate_the_key_ring_is_stored_encrypted_and_still_works()
    {
        var key = Assert.Single(await app.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync()));

        Assert.Contains("encryptedSecret", key);
        Assert.DoesNotContain("<masterKey", key);
        // Secrets protected with that ring still round-trip: a token signed with a decrypted signing key verifies.
        var user = await app.System.SignUpAsync();
        (await app.System.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertOk();
    }
}
