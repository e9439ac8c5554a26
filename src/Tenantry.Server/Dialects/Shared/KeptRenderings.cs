using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Tenantry.Application.Common.Caching;

namespace Tenantry.Server.Dialects.Shared;

/// <summary>
/// What a rendering depends on besides the snapshot: the dialect, the language, a filter, and
/// the eligibility facts of the request (client IP, MFA state).
/// </summary>
public readonly record struct RenderKey(string Dialect, string Language, string? Filter, IPAddress? ClientIp, bool MfaVerified);

/// <summary>
/// Serialized answers kept with the cached snapshot they were rendered from
/// (<see cref="CallerList{TItem}.Snapshot"/>), so that the hot path writes the same bytes again
/// instead of serializing again. They live exactly as long as the snapshot: a change or a
/// background refresh replaces the snapshot, the old one becomes unreachable and its renderings
/// go with it (a <see cref="ConditionalWeakTable{TKey, TValue}"/> holds them).
/// </summary>
public sealed class KeptRenderings
{
    // A handful of views per user (languages, IPs of their devices); more would only grow memory.
    private const int MaxPerSnapshot = 16;

    private readonly ConditionalWeakTable<object, ConcurrentDictionary<RenderKey, byte[]>> _kept = new();

    /// <summary><paramref name="render"/> of <paramref name="list"/>, or the bytes it gave before for the same snapshot and key.</summary>
    public byte[] GetOrRender<TItem>(CallerList<TItem> list, in RenderKey key, Func<IReadOnlyList<TItem>, byte[]> render)
    {
        if (list.Snapshot is not { } snapshot)
        {
            return render(list);
        }
        var renderings = _kept.GetValue(snapshot, static _ => new ConcurrentDictionary<RenderKey, byte[]>());
        if (renderings.TryGetValue(key, out var bytes))
        {
            return bytes;
        }
        bytes = render(list);
        if (renderings.Count < MaxPerSnapshot)
        {
            renderings.TryAdd(key, bytes);
        }
        return bytes;
    }
}
