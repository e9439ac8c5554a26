namespace Tenantry.Application.Common.Caching;

/// <summary>The hot path's read caches (configuration: Tenantry:Cache).</summary>
public sealed class CacheOptions
{
    /// <summary>
    /// How old a cached read may be: the session check (revocation, MFA), the caller's
    /// workspace list and their memberships in full (Wacht). A change made through this replica is visible on its next request
    /// whatever this says (the replica drops what the change made stale); a change made
    /// through another replica is visible here within this bound. Zero turns the caches
    /// off: every request reads the database.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long background refreshes gather due entries into one query (<see cref="RefreshQueue{TItem}"/>):
    /// a tenth of <see cref="MaxStaleness"/>, at most 250 ms. A refresh starts at 40–60 % of the bound, so it is never late.
    /// </summary>
    public TimeSpan RefreshGathering => TimeSpan.FromTicks(Math.Min(MaxStaleness.Ticks / 10, TimeSpan.FromMilliseconds(250).Ticks));

    /// <summary>
    /// How long a cached list may be kept on the list stamp's word alone (<see cref="Data.Changes.ListStamps"/>)
    /// before a refresh reads its rows again anyway: twelve times <see cref="MaxStaleness"/>. It bounds what
    /// the stamp's triggers cannot see: a bulk load run with triggers off (<c>session_replication_role = replica</c>).
    /// </summary>
    public TimeSpan ListFullReadInterval => MaxStaleness * 12;

    /// <summary>Most sessions kept; past this the cache starts over (memory bound, not a tuning knob).</summary>
    public int MaxSessions { get; set; } = 200_000;

    /// <summary>Most users' workspace lists kept (and, separately, most users' full membership views).</summary>
    public int MaxLists { get; set; } = 100_000;
}
