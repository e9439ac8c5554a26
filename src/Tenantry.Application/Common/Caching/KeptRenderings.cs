using System.Collections;
using System.Collections.Concurrent;
using System.Net;

namespace Tenantry.Application.Common.Caching;

/// <summary>
/// What dialects rendered from one cached value (serialized answers), kept with that value so
/// that they go when it goes. A rendering is reused only for the same view (dialect, language,
/// filters) and the same eligibility facts (client IP, MFA state), which are all a rendering
/// of a user's memberships depends on besides the memberships themselves.
/// </summary>
public sealed class KeptRenderings
{
    // A handful of views per user (languages, IPs of their devices); more would only grow memory.
    private const int MaxRenderings = 16;

    private readonly ConcurrentDictionary<RenderKey, object> _renderings = new();

    internal T GetOrRender<T>(RenderKey key, Func<T> render) where T : class
    {
        if (_renderings.TryGetValue(key, out var rendered))
        {
            return (T)rendered;
        }
        var value = render();
        if (_renderings.Count < MaxRenderings)
        {
            _renderings.TryAdd(key, value);
        }
        return value;
    }
}

internal readonly record struct RenderKey(string View, IPAddress? ClientIp, bool MfaVerified);

/// <summary>
/// A list answered to one caller, with eligibility decided for this request, built only when
/// it is read. While it comes from a cache, what a dialect renders from it is kept with the
/// cached value (<see cref="Rendered{T}"/>): same cached value, same client IP and MFA state,
/// same view give the same bytes.
/// </summary>
public sealed class RenderableList<TItem> : IReadOnlyList<TItem>
{
    private readonly Func<TItem[]> _build;
    private readonly Caller _caller;
    private readonly KeptRenderings? _renderings;
    private TItem[]? _items;

    /// <param name="renderings">Where renderings are kept; null when the value is not cached (nothing is kept).</param>
    internal RenderableList(Func<TItem[]> build, Caller caller, KeptRenderings? renderings)
    {
        _build = build;
        _caller = caller;
        _renderings = renderings;
    }

    public int Count => Items.Length;

    public TItem this[int index] => Items[index];

    private TItem[] Items => _items ??= _build();

    /// <summary>
    /// <paramref name="render"/> of this list, reused for later requests with the same cached
    /// value and the same eligibility facts. <paramref name="view"/> names everything else the
    /// rendering depends on (dialect, language, filters).
    /// </summary>
    public T Rendered<T>(string view, Func<IReadOnlyList<TItem>, T> render) where T : class =>
        _renderings is null
            ? render(this)
            : _renderings.GetOrRender(new RenderKey(view, _caller.ClientIp, _caller.MfaVerified), () => render(this));

    public IEnumerator<TItem> GetEnumerator() => ((IEnumerable<TItem>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
