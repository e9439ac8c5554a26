using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tenantry.Data.Security;
using Tenantry.Domain.Accounts;

namespace Tenantry.Data.Configurations;

internal sealed class TotpAuthenticatorConfiguration : IEntityTypeConfiguration<TotpAuthenticator>
{
    public void Configure(EntityTypeBuilder<TotpAuthenticator> builder)
    {
        builder.ToTable("mfa_totp_authenticators");
        builder.HasKey(t => t.UserId);
        builder.HasOne<UserAccount>().WithOne().HasForeignKey<TotpAuthenticator>(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.ProtectedSecret).HasMaxLength(TotpAuthenticator.MaxProtectedSecretLength);
    }
}

internal sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> builder)
    {
        builder.ToTable("mfa_recovery_codes");
        builder.HasKey(c => new { c.UserId, c.CodeHash });
        builder.Property(c => c.CodeHash).HasMaxLength(64);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MfaChallengeConfiguration : IEntityTypeConfiguration<MfaChallenge>
{
    public void Configure(EntityTypeBuilder<MfaChallenge> builder)
    {
        builder.ToTable("mfa_challenges");
        builder.HasKey(c => c.TokenHash);
        builder.Property(c => c.TokenHash).HasMaxLength(64);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.UserId);
        builder.HasIndex(c => c.ExpiresAt);
        builder.Property(c => c.ClientIp).HasMaxLength(64);
        builder.Property(c => c.UserAgent).HasMaxLength(Session.MaxUserAgentLength);
    }
}

internal sealed class SpentTokenConfiguration : IEntityTypeConfiguration<SpentToken>
{
    public void Configure(EntityTypeBuilder<SpentToken> builder)
    {
        builder.ToTable("spent_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(SpentToken.MaxIdLength);
        builder.HasIndex(t => t.ExpiresAt);
    }
}

internal sealed class AuthLockoutConfiguration : IEntityTypeConfiguration<AuthLockout>
{
    public void Configure(EntityTypeBuilder<AuthLockout> builder)
    {
        builder.ToTable("auth_lockouts");
        builder.HasKey(l => l.Key);
        builder.Property(l => l.Key).HasMaxLength(AuthLockout.MaxKeyLength);
        builder.HasIndex(l => l.LastFailureAt);
    }
}

internal sealed class SecureChannelConfiguration : IEntityTypeConfiguration<SecureChannel>
{
    public void Configure(EntityTypeBuilder<SecureChannel> builder)
    {
        builder.ToTable("secure_channels");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(Domain.Common.EntityId.MaxLength);
        builder.Property(c => c.ProtectedKey).HasMaxLength(SecureChannel.MaxProtectedKeyLength);
        builder.HasIndex(c => c.ExpiresAt);
    }
}

internal sealed class SecureChannelNonceConfiguration : IEntityTypeConfiguration<SecureChannelNonce>
{
    public void Configure(EntityTypeBuilder<SecureChannelNonce> builder)
    {
        builder.ToTable("secure_channel_nonces");
        builder.HasKey(n => new { n.ChannelId, n.Iv }).HasName(UniqueKeys.SecureChannelNonce.IndexName);
        builder.Property(n => n.ChannelId).HasMaxLength(Domain.Common.EntityId.MaxLength);
        builder.Property(n => n.Iv).HasMaxLength(32);
        builder.HasOne<SecureChannel>().WithMany().HasForeignKey(n => n.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The Data Protection key ring, shared by every replica through the database.</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder) => builder.ToTable("data_protection_keys");
}
