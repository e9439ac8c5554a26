using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using Tenantry.Application.Common;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>
/// The caller's workspaces, with eligibility decided for this request. While the rows come
/// from <see cref="MyWorkspacesCache"/>, what a dialect renders from them can be kept with
/// them (<see cref="Rendered{T}"/>): same rows, same client IP and MFA state, same view
/// (dialect and language) give the same bytes, and the rendering goes when the rows go.
/// </summary>
public sealed class MyWorkspaceList : IReadOnlyList<MyWorkspace>
{
    private const int MaxRenderingsPerList = 16;

    private readonly MyWorkspaceRow[] _rows;
    private readonly Caller _caller;
    private readonly ConcurrentDictionary<RenderKey, object>? _renderings;
    private MyWorkspace[]? _items;

    internal MyWorkspaceList(MyWorkspaceRow[] rows, Caller caller, ConcurrentDictionary<RenderKey, object>? renderings)
    {
        _rows = rows;
        _caller = caller;
        _renderings = renderings;
    }

    public int Count => _rows.Length;

    public MyWorkspace this[int index] => Items[index];

    private MyWorkspace[] Items => _items ??= Array.ConvertAll(_rows, row => ListMyWorkspacesHandler.ToItem(row, _caller));

    /// <summary>
    /// <paramref name="render"/> of this list, reused for later requests with the same rows and the
    /// same eligibility facts. <paramref name="view"/> names everything else the rendering depends
    /// on (dialect, language).
    /// </summary>
    public T Rendered<T>(string view, Func<IReadOnlyList<MyWorkspace>, T> render) where T : class
    {
        if (_renderings is null)
        {
            return render(this);
        }
        var key = new RenderKey(view, _caller.ClientIp, _caller.MfaVerified);
        if (_renderings.TryGetValue(key, out var rendered))
        {
            return (T)rendered;
        }
        var value = render(this);
        if (_renderings.Count < MaxRenderingsPerList)
        {
            _renderings.TryAdd(key, value);
        }
        return value;
    }

    public IEnumerator<MyWorkspace> GetEnumerator() => ((IEnumerable<MyWorkspace>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

internal readonly record struct RenderKey(string View, IPAddress? ClientIp, bool MfaVerified);
