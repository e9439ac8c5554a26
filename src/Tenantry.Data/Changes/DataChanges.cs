namespace Tenantry.Data.Changes;

public enum DataChangeKind
{
    /// <summary>A session was revoked, touched or MFA-verified (<see cref="DataChange.Id"/>: the session id).</summary>
    Session,

    /// <summary>A user's memberships or default changed (<see cref="DataChange.Id"/>: the user id).</summary>
    UserMemberships,

    /// <summary>A workspace, institution or role changed in a way members' lists show (no id: it may concern many users).</summary>
    Directory,
}

/// <summary>What a committed write changed, as far as this replica's read caches care.</summary>
public readonly record struct DataChange(DataChangeKind Kind, string? Id)
{
    public static DataChange Session(string sessionId) => new(DataChangeKind.Session, sessionId);

    public static DataChange UserMemberships(string userId) => new(DataChangeKind.UserMemberships, userId);

    public static readonly DataChange Directory = new(DataChangeKind.Directory, null);
}

/// <summary>
/// This replica's feed of committed changes: <see cref="DataChangeInterceptor"/> publishes
/// what each unit of work changed once it has committed; read caches subscribe and drop what
/// went stale, so a change made through this replica is visible on its very next request.
/// (Other replicas do not hear of it; their caches bound staleness by age.)
/// </summary>
public sealed class DataChangeFeed
{
    public event Action<IReadOnlyList<DataChange>>? Committed;

    public void Publish(IReadOnlyList<DataChange> changes)
    {
        if (changes.Count > 0)
        {
            Committed?.Invoke(changes);
        }
    }
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
