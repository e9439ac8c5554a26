using Tenantry.Data.Providers;

namespace Tenantry.Application.Common;

/// <summary>What front ends need to know about a failure below the use cases, without knowing the database themselves.</summary>
public static class InfrastructureFailures
{
    /// <summary>The database did not answer (down, unreachable, shutting down, out of connections): a 503, not a 500.</summary>
    public static bool IsDatabaseUnavailable(Exception exception) => DatabaseErrors.IsUnavailable(exception);
}
