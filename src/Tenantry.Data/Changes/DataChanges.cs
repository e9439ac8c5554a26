namespace Tenantry.Data.Changes;

public enum DataChangeKind
{
    /// <summary>A session was revoked, touched or MFA-verified (<see cref="DataChange.Id"/>: the session id).</summary>
    Session,

    /// <summary>A user's memberships or default changed (<see cref="DataChange.Id"/>: the user id).</summary>
    UserMemberships,

    /// <summary>A workspace, institution or role changed in a way members' lists show (no id: it may concern many users).</summary>
    Directory,

    /// <summary>
    /// A member count, a timestamp or a segment changed (no id): only the full membership views
    /// (Wacht's) show these; the workspace lists do not.
    /// </summary>
    Details,

    /// <summary>Anything may have changed: this replica missed notifications (its listener was down), so caches start over.</summary>
    Everything,
}

/// <summary>What a committed write changed, as far as this replica's read caches care.</summary>
public readonly record struct DataChange(DataChangeKind Kind, string? Id)
{
    public static DataChange Session(string sessionId) => new(DataChangeKind.Session, sessionId);

    public static DataChange UserMemberships(string userId) => new(DataChangeKind.UserMemberships, userId);

    public static readonly DataChange Directory = new(DataChangeKind.Directory, null);
    public static readonly DataChange Details = new(DataChangeKind.Details, null);

    public static readonly DataChange Everything = new(DataChangeKind.Everything, null);
}

/// <summary>
/// The feed of committed changes that read caches subscribe to. <see cref="DataChangeInterceptor"/>
/// publishes what each unit of work changed once it has committed: this replica's caches drop
/// what went stale at once, and on PostgreSQL the changes are broadcast to every other replica
/// (<see cref="IDataChangeBroadcast"/>), which drop them too. A replica that cannot be sure to
/// hear every change (its listener is down) is not <see cref="IsCoherent"/>, and its caches
/// serve nothing until it is again.
/// </summary>
public sealed class DataChangeFeed(bool requiresBroadcast)
{
    private IDataChangeBroadcast? _broadcast;

    public event Action<IReadOnlyList<DataChange>>? Committed;

    /// <summary>True when every committed change reaches this replica: always on SQLite (one process), on PostgreSQL while the broadcast listens.</summary>
    public bool IsCoherent => !requiresBroadcast || _broadcast?.IsListening == true;

    public void Attach(IDataChangeBroadcast broadcast) => _broadcast = broadcast;

    /// <summary>Changes this replica committed: dropped here at once, then sent to the other replicas.</summary>
    public Task PublishAsync(IReadOnlyList<DataChange> changes)
    {
        if (changes.Count == 0)
        {
            return Task.CompletedTask;
        }
        Committed?.Invoke(changes);
        return _broadcast?.BroadcastAsync(changes) ?? Task.CompletedTask;
    }

    /// <summary>Changes another replica committed (or <see cref="DataChange.Everything"/> after this one missed some).</summary>
    public void Receive(IReadOnlyList<DataChange> changes) => Committed?.Invoke(changes);
}

/// <summary>Carries committed changes between replicas that share one database.</summary>
public interface IDataChangeBroadcast
{
    /// <summary>Whether this replica is hearing the other replicas' changes right now.</summary>
    bool IsListening { get; }

    /// <summary>Sends this replica's committed changes to the others; returns once they have been delivered by the database.</summary>
    Task BroadcastAsync(IReadOnlyList<DataChange> changes);
}

/// <summary>
/// The changes a unit of work (one pooled context lease) has made and not yet published.
/// Tracked entities are recorded by the interceptor; set-based writes (ExecuteUpdate and
/// ExecuteDelete) say what they change by calling <see cref="Record"/> before they run.
/// </summary>
public sealed class PendingDataChanges
{
    private readonly List<DataChange> _changes = [];
    private readonly Lock _lock = new();

    public void Record(DataChange change)
    {
        lock (_lock)
        {
            if (!_changes.Contains(change))
            {
                _changes.Add(change);
            }
        }
    }

    internal DataChange[] Drain()
    {
        lock (_lock)
        {
            var drained = _changes.ToArray();
            _changes.Clear();
            return drained;
        }
    }

    internal void Discard()
    {
        lock (_lock)
        {
            _changes.Clear();
        }
    }
}
