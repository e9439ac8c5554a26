using System.Collections.Frozen;
using NodaTime.TimeZones;

namespace Tenantry.Domain.Workspaces;

/// <summary>IANA time zone ids, checked against the tz database bundled with NodaTime (not the host's).</summary>
public static class Timezones
{
    public const string Default = "UTC";

    private static readonly FrozenSet<string> s_ids = TzdbDateTimeZoneSource.Default.CanonicalIdMap.Keys.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsValid(string? id) => id is not null && s_ids.Contains(id);
}
