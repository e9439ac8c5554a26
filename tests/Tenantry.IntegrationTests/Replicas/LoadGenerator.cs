using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>One answered (or failed) request of a load run. Status 0: no HTTP answer (connection error or client timeout).</summary>
public sealed record Sample(TimeSpan StartedAt, TimeSpan Latency, HttpStatusCode Status, string? Code, string What, string? Error)
{
    public TimeSpan EndedAt => StartedAt + Latency;

    public override string ToString() => $"{What} at {StartedAt.TotalSeconds:0.000}s: {(int)Status} {Code} in {Latency.TotalMilliseconds:0} ms {Error}";
}

/// <summary>
/// Steady traffic against one server: workers that each read (list my workspaces) and write
/// (rename a workspace) in a loop, as fast as answers come, and record every outcome with its latency.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Task> _workers;

    public LoadGenerator(ServerProcess server, IReadOnlyList<(TestUser User, string WorkspaceId)> users, int workers)
    {
        _workers = [.. Enumerable.Range(0, workers).Select(i => Task.Run(() => RunAsync(server, users[i % users.Count], i)))];
    }

    /// <summary>Time since the load started, on the same clock as <see cref="Sample.StartedAt"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Sample> Samples => [.. _samples];

    private async Task RunAsync(ServerProcess server, (TestUser User, string WorkspaceId) who, int worker)
    {
        // A client timeout far above any server-side timeout: an answer that takes this long is a hang.
        using var http = server.CreateHttpClient(TimeSpan.FromSeconds(120));
        var api = new SystemApi(http);
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var write = n % 2 == 1;
            var started = _clock.Elapsed;
            try
            {
                var response = write
                    ? await api.PatchAsync($"/web/v1/workspaces/{who.WorkspaceId}", new { workspaceName = $"w{worker}-{n}" }, who.User.AccessToken)
                    : await api.GetAsync("/web/v1/system/workspaces/mine", who.User.AccessToken);
                _samples.Enqueue(new Sample(started, _clock.Elapsed - started, response.Status, response.Json.ValueKind == global::System.Text.Json.JsonValueKind.Object ? response.Code : null,
                    write ? "rename" : "list", response.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable ? null : response.Body));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or global::System.Text.Json.JsonException)
            {
                _samples.Enqueue(new Sample(started, _clock.Elapsed - started, 0, null, write ? "rename" : "list", e.GetType().Name + ": " + e.Message));
            }
            // Keep the load steady rather than flat out: two cores are shared with the rest of the suite.
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }
}
