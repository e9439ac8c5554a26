using Microsoft.EntityFrameworkCore;
using Tenantry.Data.Configurations;

namespace Tenantry.Data.Providers;

internal static class JsonColumns
{
    /// <summary>Replaces the provider-neutral JSON marker of the base model with the provider's column type.</summary>
    public static void MapTo(ModelBuilder modelBuilder, string columnType)
    {
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.GetColumnType() == JsonColumn.Type)
            {
                property.SetColumnType(columnType);
            }
        }
    }
}
