using System.Collections;

namespace Tenantry.Application.Common.Caching;

/// <summary>
/// A list as answered to one caller, with eligibility decided for this request, built only when
/// it is read. <see cref="Snapshot"/> is the cached value it was built from: the same snapshot,
/// client IP and MFA state give the same items, so a front end may keep what it derives from
/// them (its serialized answer) for as long as the snapshot lives.
/// </summary>
public sealed class CallerList<TItem> : IReadOnlyList<TItem>
{
    private readonly Func<TItem[]> _build;
    private TItem[]? _items;

    internal CallerList(Func<TItem[]> build, object? snapshot)
    {
        _build = build;
        Snapshot = snapshot;
    }

    /// <summary>The cached value behind this list (shared by every request it serves until a change or refresh replaces it); null when it was read for this request alone.</summary>
    public object? Snapshot { get; }

    public int Count => Items.Length;

    public TItem this[int index] => Items[index];

    private TItem[] Items => _items ??= _build();

    public IEnumerator<TItem> GetEnumerator() => ((IEnumerable<TItem>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
