using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tenantry.Data.Changes;

namespace Tenantry.Data.Providers.Postgres;

/// <summary>
/// Carries committed changes between replicas over PostgreSQL LISTEN/NOTIFY, so that a
/// sign-out or a membership change made through one replica is dropped from every replica's
/// caches. The write is acknowledged once PostgreSQL has delivered the notice to every listener
/// (this replica waits for its own copy); each replica applies it when its listener reads it, a
/// moment later, so only a request racing that read sees the old state. Each replica keeps one connection listening; while
/// it is down (or the server stops answering the liveness probe) the replica is not coherent
/// and serves nothing from its caches, and when it comes back the caches start over, since
/// notifications sent meanwhile were lost.
/// </summary>
public sealed partial class PostgresChangeBroadcast : BackgroundService, IDataChangeBroadcast
{
    public const string Channel = "tenantry_changes";

    // NOTIFY payloads are limited to 8000 bytes; a larger set of changes is sent as "everything".
    private const int MaxPayloadBytes = 7900;
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_echoTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly DataChangeFeed _feed;
    private readonly ILogger<PostgresChangeBroadcast> _logger;
    private readonly string _origin = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _echoes = new();
    private long _sequence;
    private volatile bool _listening;

    public PostgresChangeBroadcast(NpgsqlDataSource dataSource, DataChangeFeed feed, ILogger<PostgresChangeBroadcast> logger)
    {
        _dataSource = dataSource;
        _feed = feed;
        _logger = logger;
        feed.Attach(this);
    }

    public bool IsListening => _listening;

    public async Task BroadcastAsync(IReadOnlyList<DataChange> changes)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Our own listener hears the notification when every other listener does: waiting for
        // that echo means the other replicas have it before this write is answered.
        var awaitEcho = _listening && _echoes.TryAdd(sequence, echo);
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT pg_notify($1, $2)");
            command.Parameters.AddWithValue(Channel);
            command.Parameters.AddWithValue(Encode(sequence, changes));
            await command.ExecuteNonQueryAsync();
            if (awaitEcho)
            {
                await echo.Task.WaitAsync(s_echoTimeout);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The write is committed; replicas that did not hear of it see it when their entries age out.
            LogBroadcastFailed(_logger, e.Message);
        }
        finally
        {
            _echoes.TryRemove(sequence, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) => OnNotification(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Whatever was committed while nobody listened is unknown: start from empty caches.
                _feed.Receive([DataChange.Everything]);
                _listening = true;
                backoff = TimeSpan.FromMilliseconds(200);
                LogListening(_logger);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(s_probeInterval, stoppingToken))
                    {
                        // A quiet connection proves nothing: a stopped server is noticed by the probe.
                        await using var probe = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 2 };
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (_listening)
                {
                    _listening = false;
                    _feed.Receive([DataChange.Everything]);
                    LogListenerLost(_logger, e.Message);
                }
                try
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = backoff * 2 > s_maxBackoff ? s_maxBackoff : backoff * 2;
            }
        }
        _listening = false;
    }

    private void OnNotification(string payload)
    {
        if (!TryDecode(payload, out var origin, out var sequence, out var changes))
        {
            return;
        }
        if (origin == _origin)
        {
            // Our own change, already applied here when it committed.
            if (_echoes.TryGetValue(sequence, out var echo))
            {
                echo.TrySetResult();
            }
            return;
        }
        _feed.Receive(changes);
    }

    // "origin:sequence|S:sessionId|U:userId|D|T|E"
    private string Encode(long sequence, IReadOnlyList<DataChange> changes)
    {
        var text = new StringBuilder().Append(_origin).Append(':').Append(sequence);
        foreach (var change in changes)
        {
            text.Append('|').Append(change.Kind switch
            {
                DataChangeKind.Session => "S:" + change.Id,
                DataChangeKind.UserMemberships => "U:" + change.Id,
                DataChangeKind.Directory => "D",
                DataChangeKind.Details => "T",
                _ => "E",
            });
        }
        var payload = text.ToString();
        return Encoding.UTF8.GetByteCount(payload) <= MaxPayloadBytes ? payload : $"{_origin}:{sequence}|E";
    }

    private static bool TryDecode(string payload, out string origin, out long sequence, out List<DataChange> changes)
    {
        changes = [];
        origin = string.Empty;
        sequence = 0;
        var parts = payload.Split('|');
        var header = parts[0].Split(':');
        if (header.Length != 2 || !long.TryParse(header[1], out sequence))
        {
            return false;
        }
        origin = header[0];
        foreach (var part in parts.AsSpan(1))
        {
            changes.Add(part switch
            {
                ['S', ':', ..] => DataChange.Session(part[2..]),
                ['U', ':', ..] => DataChange.UserMemberships(part[2..]),
                "D" => DataChange.Directory,
                "T" => DataChange.Details,
                _ => DataChange.Everything,
            });
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for other replicas' changes")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the change listener; caches are off until it reconnects: {Reason}")]
    private static partial void LogListenerLost(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not broadcast committed changes to other replicas: {Reason}")]
    private static partial void LogBroadcastFailed(ILogger logger, string reason);
}
