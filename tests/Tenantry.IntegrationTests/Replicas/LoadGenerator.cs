using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>One answered (or failed) request of a load run. Status 0: no HTTP answer (connection error or client timeout).</summary>
public sealed record Sample(TimeSpan StartedAt, TimeSpan Latency, HttpStatusCode Status, string? Code, string What, string? Error, string UserId = "")
{
    public TimeSpan EndedAt => StartedAt + Latency;

    public override string ToString() => $"{What} at {StartedAt.TotalSeconds:0.000}s: {(int)Status} {Code} in {Latency.TotalMilliseconds:0} ms {Error}";
}

/// <summary>
/// One write of a load run as worker number <c>worker</c> sends it, its <c>n</c>th request: what the
/// samples call it and the server's answer.
/// </summary>
public delegate Task<(string What, ApiResponse Answer)> LoadWrite(SystemApi api, (TestUser User, string WorkspaceId) who, int worker, int n);

/// <summary>
/// Steady traffic against one server: workers that each read (list my workspaces) and, unless
/// <c>writes</c> is false, write (rename a workspace, or the given <see cref="LoadWrite"/>) in turn, in
/// a loop, as fast as answers come, and record every outcome with its latency and user.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private static readonly LoadWrite s_rename = async (api, who, worker, n) =>
        ("rename", await api.PatchAsync($"/web/v1/workspaces/{who.WorkspaceId}", new { workspaceName = $"w{worker}-{n}" }, who.User.AccessToken));

    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Task> _workers;

    public LoadGenerator(ServerProcess server, IReadOnlyList<(TestUser User, string WorkspaceId)> users, int workers, bool writes = true, LoadWrite? write = null)
    {
        var send = writes ? write ?? s_rename : null;
        _workers = [.. Enumerable.Range(0, workers).Select(i => Task.Run(() => RunAsync(server, users[i % users.Count], i, send)))];
    }

    /// <summary>Time since the load started, on the same clock as <see cref="Sample.StartedAt"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Sample> Samples => [.. _samples];

    /// <summary><paramref name="count"/> new users, each with a workspace of their own: who the load runs as.</summary>
    public static async Task<IReadOnlyList<(TestUser User, string WorkspaceId)>> UsersWithWorkspacesAsync(ServerProcess server, int count)
    {
        var api = server.System;
        var users = new List<(TestUser, string)>();
        for (var i = 0; i < count; i++)
        {
            var user = await api.SignUpAsync();
            users.Add((user, await api.CreateWorkspaceAsync(user)));
        }
        return users;
    }

    /// <summary>Until 16 requests have succeeded: the load is flowing.</summary>
    public Task FlowingAsync() => UntilAsync(samples => samples.Count(s => s.Status == HttpStatusCode.OK) >= 16, "16 successful requests under load");

    /// <summary>Polls until <paramref name="condition"/> holds for the samples so far; fails after 30 s.</summary>
    public async Task UntilAsync(Func<IReadOnlyList<Sample>, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(Samples))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                var samples = Samples;
                throw new Xunit.Sdk.XunitException($"Waited 30 s for {what}. {samples.Count} samples, the last: {string.Join("; ", samples.TakeLast(5))}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>When the first request started after <paramref name="since"/> that succeeded; fails after 20 s without one.</summary>
    public async Task<TimeSpan> FirstSuccessAfterAsync(TimeSpan since)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (Samples.Where(s => s.StartedAt > since && s.Status == HttpStatusCode.OK).Select(s => (TimeSpan?)s.StartedAt).Min() is { } first)
            {
                return first;
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("No request succeeded within 20 s of the database answering again.");
    }

    private async Task RunAsync(ServerProcess server, (TestUser User, string WorkspaceId) who, int worker, LoadWrite? send)
    {
        // A client timeout far above any server-side timeout: an answer that takes this long is a hang.
        using var http = server.CreateHttpClient(TimeSpan.FromSeconds(120));
        var api = new SystemApi(http);
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var write = send is not null && n % 2 == 1;
            var started = _clock.Elapsed;
            try
            {
                var (what, response) = write
                    ? await send!(api, who, worker, n)
                    : ("list", await api.GetAsync("/web/v1/system/workspaces/mine", who.User.AccessToken));
                _samples.Enqueue(new Sample(started, _clock.Elapsed - started, response.Status, response.Json.ValueKind == global::System.Text.Json.JsonValueKind.Object ? response.Code : null,
                    what, response.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable ? null : response.Body, who.User.UserId));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or global::System.Text.Json.JsonException)
            {
                _samples.Enqueue(new Sample(started, _clock.Elapsed - started, 0, null, write ? "write" : "list", e.GetType().Name + ": " + e.Message, who.User.UserId));
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
