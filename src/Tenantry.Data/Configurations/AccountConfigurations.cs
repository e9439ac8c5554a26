using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;

namespace Tenantry.Data.Configurations;

internal sealed class UserAccountConfiguration : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Email).HasMaxLength(EmailAddress.MaxLength);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(EmailAddress.MaxLength);
        builder.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName(UniqueKeys.UserEmail.IndexName);
        builder.Property(u => u.DisplayName).HasMaxLength(UserAccount.MaxDisplayNameLength);
        builder.Property(u => u.PasswordHash).HasMaxLength(512);
    }
}

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.ToTable("sessions");
        builder.HasKey(s => s.Id);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.UserId);
        builder.Property(s => s.ClientIp).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(Session.MaxUserAgentLength);
    }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.ToTable("refresh_tokens");
        builder.HasKey(t => t.TokenHash);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasOne<Session>().WithMany().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.SessionId);
    }
}

internal sealed class EmailVerificationConfiguration : IEntityTypeConfiguration<EmailVerification>
{
    public void Configure(EntityTypeBuilder<EmailVerification> builder)
    {
        builder.ToTable("email_verifications");
        // One open verification per account: a new one replaces it.
        builder.HasKey(v => v.UserId);
        builder.HasOne<UserAccount>().WithOne().HasForeignKey<EmailVerification>(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(v => v.Id).IsRequired().HasMaxLength(Domain.Common.EntityId.MaxLength);
        builder.Property(v => v.NormalizedEmail).HasMaxLength(EmailAddress.MaxLength);
        builder.Property(v => v.TokenHash).HasMaxLength(64);
        builder.HasIndex(v => v.TokenHash).IsUnique();
        builder.Property(v => v.CodeHash).HasMaxLength(64);
        builder.HasIndex(v => v.ExpiresAt);
    }
}

internal sealed class PasswordResetConfiguration : IEntityTypeConfiguration<PasswordReset>
{
    public void Configure(EntityTypeBuilder<PasswordReset> builder)
    {
        builder.ToTable("password_resets");
        // One open reset per account: asking again replaces it.
        builder.HasKey(r => r.UserId);
        builder.HasOne<UserAccount>().WithOne().HasForeignKey<PasswordReset>(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Id).IsRequired().HasMaxLength(Domain.Common.EntityId.MaxLength);
        builder.Property(r => r.NormalizedEmail).HasMaxLength(EmailAddress.MaxLength);
        // The code step names the address, not the account.
        builder.HasIndex(r => r.NormalizedEmail);
        builder.Property(r => r.CodeHash).HasMaxLength(64);
        builder.HasIndex(r => r.ExpiresAt);
    }
}

/// <summary>The account trail: per user, not per tenant (on Citus it goes with the users, not with the institutions).</summary>
internal sealed class AccountEventConfiguration : IEntityTypeConfiguration<AccountEvent>
{
    public void Configure(EntityTypeBuilder<AccountEvent> builder)
    {
        builder.ToTable("account_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(Domain.Common.EntityId.MaxLength);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.Actor).HasMaxLength(16);
        builder.Property(e => e.ClientIp).HasMaxLength(64);
        builder.Property(e => e.Details).HasColumnType(JsonColumn.Type);
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
    }
}
