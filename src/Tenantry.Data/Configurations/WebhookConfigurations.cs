using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Data.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.HasKey(e => e.Id);
        builder.HasAlternateKey(e => new { e.InstitutionId, e.Id });
        builder.HasOne<Institution>().WithMany().HasForeignKey(e => e.InstitutionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Url).HasMaxLength(WebhookEndpoint.MaxUrlLength);
        builder.Property(e => e.Description).HasMaxLength(WebhookEndpoint.MaxDescriptionLength);
        builder.Property(e => e.DisabledReason).HasMaxLength(WebhookEndpoint.MaxReasonLength);
        builder.Property(e => e.Secret).HasMaxLength(1024);
        builder.Property(e => e.PreviousSecret).HasMaxLength(1024);
        builder.Property(e => e.LeaseOwner).HasMaxLength(64);
        builder.HasIndex(e => new { e.InstitutionId, e.CreatedAt });
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.HasOne<WebhookEndpoint>().WithMany()
            .HasForeignKey(d => new { d.InstitutionId, d.EndpointId })
            .HasPrincipalKey(e => new { e.InstitutionId, e.Id })
            .OnDelete(DeleteBehavior.Cascade);
        // Plain text, never jsonb: the stored bytes are what is signed and sent.
        builder.Property(d => d.Payload);
        builder.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxErrorLength);
        builder.Property(d => d.LastResponseBody).HasMaxLength(WebhookDelivery.MaxResponseLength);
        builder.HasIndex(d => new { d.EventId, d.EndpointId }).IsUnique().HasDatabaseName(UniqueKeys.WebhookDeliveryEvent.IndexName);
        // The next delivery of an endpoint, in event order, among those still pending.
        builder.HasIndex(d => new { d.EndpointId, d.EventAt, d.EventOrdinal, d.EventId })
            .HasFilter(IndexFilters.Pending).HasDatabaseName("ix_webhook_deliveries_pending_in_order");
        // Endpoints with something due.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter(IndexFilters.Pending).HasDatabaseName("ix_webhook_deliveries_due");
        // An endpoint's deliveries, newest first.
        builder.HasIndex(d => new { d.EndpointId, d.CreatedAt });
    }
}
