using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Data.Configurations;

// Every tenant-owned table carries institution_id, and references between tenant-owned
// tables go through (institution_id, id), so the schema can be distributed by
// institution_id (Citus) without redesign. See docs/DEPLOYMENT.md.

internal sealed class InstitutionConfiguration : IEntityTypeConfiguration<Institution>
{
    public void Configure(EntityTypeBuilder<Institution> builder)
    {
        builder.ToTable("institutions");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Name).HasMaxLength(Institution.MaxNameLength);
        builder.Property(i => i.Slug).HasMaxLength(Slugs.MaxLength);
        builder.HasIndex(i => i.Slug).IsUnique().HasDatabaseName(UniqueKeys.InstitutionSlug.IndexName);
        builder.Property(i => i.Description).HasMaxLength(Workspace.MaxDescriptionLength);
        builder.Property(i => i.ImageUrl).HasMaxLength(Workspace.MaxImageUrlLength);
        builder.Property(i => i.PublicMetadata).HasColumnType(JsonColumn.Type);
        builder.Property(i => i.PrivateMetadata).HasColumnType(JsonColumn.Type);
        builder.HasIndex(i => i.OwnerUserId);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(i => i.OwnerUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class InstitutionMembershipConfiguration : IEntityTypeConfiguration<InstitutionMembership>
{
    public void Configure(EntityTypeBuilder<InstitutionMembership> builder)
    {
        builder.ToTable("organization_memberships");
        builder.HasKey(m => m.Id);
        builder.HasOne<Institution>().WithMany().HasForeignKey(m => m.InstitutionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.InstitutionId, m.UserId }).IsUnique().HasDatabaseName(UniqueKeys.InstitutionMember.IndexName);
        // Two indexes on user_id: each needs its own name here, or EF Core configures one index twice.
        builder.HasIndex(m => m.UserId, UniqueKeys.ActiveInstitution.IndexName).IsUnique().HasFilter(IndexFilters.IsActive)
            .HasDatabaseName(UniqueKeys.ActiveInstitution.IndexName);
        builder.HasIndex(m => m.UserId, "ix_organization_memberships_user").HasDatabaseName("ix_organization_memberships_user");
    }
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.ToTable("workspaces");
        builder.HasKey(w => w.Id);
        builder.HasAlternateKey(w => new { w.InstitutionId, w.Id });
        builder.HasOne<Institution>().WithMany().HasForeignKey(w => w.InstitutionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(w => w.Name).HasMaxLength(Workspace.MaxNameLength);
        builder.Property(w => w.Slug).HasMaxLength(Slugs.MaxLength);
        builder.HasIndex(w => new { w.InstitutionId, w.Slug }).IsUnique().HasDatabaseName(UniqueKeys.WorkspaceSlug.IndexName);
        builder.Property(w => w.Description).HasMaxLength(Workspace.MaxDescriptionLength);
        builder.Property(w => w.ImageUrl).HasMaxLength(Workspace.MaxImageUrlLength);
        builder.Property(w => w.Timezone).HasMaxLength(64);
        builder.Property(w => w.ExtraData).HasMaxLength(JsonText.MaxLength);
        builder.Property(w => w.ExternalEntityId).HasMaxLength(128);
        builder.Property(w => w.PublicMetadata).HasColumnType(JsonColumn.Type);
        builder.Property(w => w.PrivateMetadata).HasColumnType(JsonColumn.Type);
        builder.Property(w => w.Policy)
            .HasColumnType(JsonColumn.Type)
            .HasConversion(JsonColumn.PolicyConverter.ToProvider, JsonColumn.PolicyConverter.FromProvider)
            .Metadata.SetValueComparer(new ValueComparer<WorkspacePolicy?>(
                (a, b) => Equals(a, b),
                p => p == null ? 0 : p.GetHashCode()));
        builder.HasIndex(w => w.SelfCreatedBy).IsUnique().HasFilter(IndexFilters.SelfCreated)
            .HasDatabaseName(UniqueKeys.SelfCreatedWorkspace.IndexName);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(w => w.SelfCreatedBy).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class WorkspaceRoleConfiguration : IEntityTypeConfiguration<WorkspaceRole>
{
    public void Configure(EntityTypeBuilder<WorkspaceRole> builder)
    {
        builder.ToTable("workspace_roles");
        builder.HasKey(r => r.Id);
        builder.HasAlternateKey(r => new { r.InstitutionId, r.Id });
        builder.HasOne<Workspace>().WithMany()
            .HasForeignKey(r => new { r.InstitutionId, r.WorkspaceId })
            .HasPrincipalKey(w => new { w.InstitutionId, w.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Name).HasMaxLength(WorkspaceRole.MaxNameLength);
        builder.Property(r => r.NormalizedName).HasMaxLength(WorkspaceRole.MaxNameLength);
        builder.Property(r => r.Description).HasMaxLength(WorkspaceRole.MaxDescriptionLength);
        builder.HasIndex(r => new { r.WorkspaceId, r.NormalizedName }).IsUnique().HasDatabaseName(UniqueKeys.RoleName.IndexName);
    }
}

internal sealed class WorkspaceMembershipConfiguration : IEntityTypeConfiguration<WorkspaceMembership>
{
    public void Configure(EntityTypeBuilder<WorkspaceMembership> builder)
    {
        builder.ToTable("workspace_memberships");
        builder.HasKey(m => m.Id);
        builder.HasOne<Workspace>().WithMany()
            .HasForeignKey(m => new { m.InstitutionId, m.WorkspaceId })
            .HasPrincipalKey(w => new { w.InstitutionId, w.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WorkspaceRole>().WithMany()
            .HasForeignKey(m => new { m.InstitutionId, m.RoleId })
            .HasPrincipalKey(r => new { r.InstitutionId, r.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.WorkspaceId, m.UserId }).IsUnique().HasDatabaseName(UniqueKeys.WorkspaceMember.IndexName);
        builder.HasIndex(m => m.UserId).IsUnique().HasFilter(IndexFilters.IsDefault).HasDatabaseName(UniqueKeys.DefaultWorkspace.IndexName);
        // The hot path ("list my workspaces") reads by user in join order.
        builder.HasIndex(m => new { m.UserId, m.CreatedAt }).HasDatabaseName("ix_workspace_memberships_user_created");
        builder.HasIndex(m => new { m.WorkspaceId, m.RoleId }).HasDatabaseName("ix_workspace_memberships_workspace_role");
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("invitations");
        builder.HasKey(i => i.Id);
        builder.HasOne<Workspace>().WithMany()
            .HasForeignKey(i => new { i.InstitutionId, i.WorkspaceId })
            .HasPrincipalKey(w => new { w.InstitutionId, w.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WorkspaceRole>().WithMany()
            .HasForeignKey(i => new { i.InstitutionId, i.RoleId })
            .HasPrincipalKey(r => new { r.InstitutionId, r.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.Property(i => i.Email).HasMaxLength(EmailAddress.MaxLength);
        builder.Property(i => i.NormalizedEmail).HasMaxLength(EmailAddress.MaxLength);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.HasIndex(i => new { i.WorkspaceId, i.NormalizedEmail }).IsUnique().HasFilter(IndexFilters.Pending)
            .HasDatabaseName(UniqueKeys.PendingInvitation.IndexName);
        builder.HasIndex(i => new { i.NormalizedEmail, i.Status });
        builder.HasIndex(i => new { i.WorkspaceId, i.Status, i.CreatedAt });
        // A sign-up page opened from an invitation link has only the token (Wacht's /deployment/invitations/validate).
        builder.HasIndex(i => i.TokenHash);
    }
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> builder)
    {
        builder.ToTable("segments");
        builder.HasKey(s => s.Id);
        builder.HasAlternateKey(s => new { s.InstitutionId, s.Id });
        builder.HasOne<Institution>().WithMany().HasForeignKey(s => s.InstitutionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Name).HasMaxLength(Segment.MaxNameLength);
        // Institution segments were stored as "Organization" before the code settled on one name; the stored value stays.
        builder.Property(s => s.Type).HasConversion(
            type => type == SegmentType.Institution ? "Organization" : type.ToString(),
            stored => stored == "Organization" ? SegmentType.Institution : Enum.Parse<SegmentType>(stored));
        builder.HasIndex(s => new { s.InstitutionId, s.Type, s.Name }).IsUnique().HasDatabaseName(UniqueKeys.SegmentName.IndexName);
    }
}

internal sealed class WorkspaceSegmentConfiguration : IEntityTypeConfiguration<WorkspaceSegment>
{
    public void Configure(EntityTypeBuilder<WorkspaceSegment> builder)
    {
        builder.ToTable("workspace_segments");
        builder.HasKey(s => new { s.WorkspaceId, s.SegmentId });
        builder.HasOne<Workspace>().WithMany()
            .HasForeignKey(s => new { s.InstitutionId, s.WorkspaceId })
            .HasPrincipalKey(w => new { w.InstitutionId, w.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Segment>().WithMany()
            .HasForeignKey(s => new { s.InstitutionId, s.SegmentId })
            .HasPrincipalKey(s => new { s.InstitutionId, s.Id })
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InstitutionSegmentConfiguration : IEntityTypeConfiguration<InstitutionSegment>
{
    public void Configure(EntityTypeBuilder<InstitutionSegment> builder)
    {
        builder.ToTable("institution_segments");
        builder.HasKey(s => new { s.InstitutionId, s.SegmentId });
        builder.HasOne<Institution>().WithMany().HasForeignKey(s => s.InstitutionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Segment>().WithMany()
            .HasForeignKey(s => new { s.InstitutionId, s.SegmentId })
            .HasPrincipalKey(s => new { s.InstitutionId, s.Id })
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.HasKey(e => e.Id);
        builder.Ignore(e => e.RecordedOrder);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.TargetType).HasMaxLength(32);
        builder.Property(e => e.ClientIp).HasMaxLength(64);
        builder.Property(e => e.Details).HasColumnType(JsonColumn.Type);
        builder.HasIndex(e => new { e.WorkspaceId, e.CreatedAt });
        builder.HasIndex(e => new { e.InstitutionId, e.CreatedAt });
    }
}

/// <summary>
/// JSON-valued columns. The base model declares them as "json-text"; each provider maps
/// that marker to its own type (PostgreSQL jsonb, SQLite TEXT).
/// </summary>
internal static class JsonColumn
{
    public const string Type = "json-text";

    internal static class PolicyConverter
    {
        private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web);

        public static readonly System.Linq.Expressions.Expression<Func<WorkspacePolicy?, string?>> ToProvider =
            p => p == null ? null : JsonSerializer.Serialize(p, s_options);

        public static readonly System.Linq.Expressions.Expression<Func<string?, WorkspacePolicy?>> FromProvider =
            s => s == null ? null : JsonSerializer.Deserialize<WorkspacePolicy>(s, s_options);
    }
}
