using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Tenantry.Data.Changes;
using Tenantry.Data.Keys;
using Tenantry.Data.Outbox;
using Tenantry.Data.Security;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Webhooks;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Data;

/// <summary>
/// The one model of Tenantry. Each provider derives from it (see Providers/) to add its
/// own column types and to own its migrations.
/// </summary>
public abstract class TenantryDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<EmailVerification> EmailVerifications => Set<EmailVerification>();
    public DbSet<PasswordReset> PasswordResets => Set<PasswordReset>();
    public DbSet<AccountEvent> AccountEvents => Set<AccountEvent>();
    public DbSet<Institution> Institutions => Set<Institution>();
    public DbSet<InstitutionMembership> InstitutionMemberships => Set<InstitutionMembership>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<WorkspaceRole> WorkspaceRoles => Set<WorkspaceRole>();
    public DbSet<WorkspaceMembership> WorkspaceMemberships => Set<WorkspaceMembership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<WorkspaceSegment> WorkspaceSegments => Set<WorkspaceSegment>();
    public DbSet<InstitutionSegment> InstitutionSegments => Set<InstitutionSegment>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<TotpAuthenticator> TotpAuthenticators => Set<TotpAuthenticator>();
    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();
    public DbSet<MfaChallenge> MfaChallenges => Set<MfaChallenge>();
    public DbSet<AuthLockout> AuthLockouts => Set<AuthLockout>();
    public DbSet<SpentToken> SpentTokens => Set<SpentToken>();
    public DbSet<SecureChannel> SecureChannels => Set<SecureChannel>();
    public DbSet<SecureChannelNonce> SecureChannelNonces => Set<SecureChannelNonce>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>The ASP.NET Core Data Protection key ring (secrets at rest: signing keys, TOTP secrets, channel keys).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>What this unit of work changed, published to read caches once committed (see <see cref="DataChangeInterceptor"/>).</summary>
    public PendingDataChanges PendingChanges { get; } = new();

    /// <summary>
    /// Set when this unit of work queued an outbox message that a background worker should learn of
    /// once it is committed (see the webhook event interceptor); cleared when that worker is woken.
    /// </summary>
    public bool OutboxWritten { get; set; }

    /// <summary>
    /// Set while a failure leaves a unit of <see cref="Transactions.InTransactionAsync{T}"/> after its transaction ended
    /// (its commit was sent): the execution strategy then never runs the unit again.
    /// </summary>
    internal bool CommitSent { get; set; }

    /// <summary>
    /// Which SQL this context speaks; use cases rarely need it, SQL in Data does. A Citus
    /// coordinator speaks PostgreSQL, so its context says <see cref="DatabaseProvider.Postgres"/>.
    /// </summary>
    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TenantryDbContext).Assembly);
        Providers.Citus.CitusDistribution.NameDistributionColumnsInWrites(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in the database, stable when members are added.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,

    /// <summary>PostgreSQL with the Citus extension: the PostgreSQL model and migrations, then the tables distributed (Providers/Citus).</summary>
    Citus,
}
