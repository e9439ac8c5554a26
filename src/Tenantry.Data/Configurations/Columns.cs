namespace Tenantry.Data.Configurations;

/// <summary>Filters of partial indexes, written once so both providers read the same SQL.</summary>
internal static class IndexFilters
{
    public const string IsDefault = "\"is_default\" = TRUE";
    public const string IsActive = "\"is_active\" = TRUE";
    public const string Pending = "\"status\" = 'Pending'";
    public const string SelfCreated = "\"self_created_by\" IS NOT NULL";
    public const string Unsent = "\"sent_at\" IS NULL";
}
