using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tenantry.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// PostgreSQL goes away under load (issue 6): the server answers 503 / 5030 quickly instead of
/// hanging, /health/ready says not ready, and when PostgreSQL is back the same process serves
/// again without a restart. Each test owns a throwaway cluster that it stops, starts and
/// freezes; the measured timings are written to the test output. They bound how fast errors
/// come and count requests, so they run alone (no other class loads the two cores meanwhile),
/// and they wait for what they need to see in the load's samples rather than for fixed times.
/// </summary>
[Trait(PostgresOnly.Trait, PostgresOnly.Value)]
[Collection(RunsAloneCollection.Name)]
public sealed class DatabaseFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>While PostgreSQL is down, an error answer must come at least this fast (in practice a connection is refused at once).</summary>
    private static readonly TimeSpan s_fastError = TimeSpan.FromSeconds(5);

    /// <summary>/health/ready gives up on the database after the connect timeout (3 s); the rest allows for a loaded machine.</summary>
    private static readonly TimeSpan s_readyDeadline = TimeSpan.FromSeconds(6);

    private readonly List<ServerProcess> _servers = [];
    private PostgresCluster _cluster = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartNewAsync();
        _database = await TestDatabase.CreatePostgresAsync(Directory.CreateTempSubdirectory("tenantry-test-").FullName, _cluster.AdminConnectionString);
    }

    [Fact]
    public async Task PostgreSQL_stopped_under_load_answers_5030_quickly_and_the_same_process_recovers()
    {
        var server = await StartServerAsync();
        var users = await LoadGenerator.UsersWithWorkspacesAsync(server, 4);
        var pid = server.Pid;

        await using (var load = new LoadGenerator(server, users, workers: 8))
        {
            await load.FlowingAsync();
            // "fast" is an orderly shutdown (sessions are told); "immediate" is a crash of PostgreSQL.
            foreach (var mode in new[] { "fast", "immediate" })
            {
                var stopping = load.Now;
                await _cluster.StopAsync(mode);
                var stopped = load.Now;
                await load.UntilAsync(samples => samples.Count(s => s.StartedAt > stopped) > 10, "more than 10 answers while PostgreSQL is down");

                var (ready, readyLatency) = await HealthAsync(server, "/health/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
                Assert.True(readyLatency < s_fastError, $"/health/ready took {readyLatency.TotalMilliseconds:0} ms with PostgreSQL down");
                Assert.Equal(HttpStatusCode.OK, (await HealthAsync(server, "/health/live")).Status);

                var restarting = load.Now;
                await _cluster.StartAsync();
                var restarted = load.Now;
                var recovered = await load.FirstSuccessAfterAsync(restarted);
                await load.UntilAsync(samples => samples.Count(s => s.StartedAt > recovered) > 10, "more than 10 answers after the first success");

                var samples = load.Samples;
                var down = samples.Where(s => s.StartedAt > stopped && s.EndedAt < restarting).ToList();
                output.WriteLine($"[stop -m {mode}] pg_ctl stop {Ms(stopped - stopping)} ms, start {Ms(restarted - restarting)} ms");
                output.WriteLine($"[stop -m {mode}] while down: {down.Count} requests, {down.Count(s => s.Code == "5030")} answered 5030, " +
                    $"latency p50 {Percentile(down, 0.5)} ms, max {Percentile(down, 1)} ms; /health/ready 503 in {Ms(readyLatency)} ms");
                output.WriteLine($"[stop -m {mode}] first 2000 {Ms(recovered - restarted)} ms after PostgreSQL was back");

                Assert.True(down.Count > 10, $"Too few requests while PostgreSQL was down: {down.Count}");
                Assert.All(down, s => Assert.True(s.Status == HttpStatusCode.ServiceUnavailable && s.Code == "5030" && s.Latency < s_fastError, s.ToString()));
                // In flight when PostgreSQL went away: 2000 or 5030, never a 500, never a hang.
                Assert.All(samples.Where(s => s.EndedAt >= stopping), s => Assert.True(
                    (s.Status == HttpStatusCode.OK || (s.Status == HttpStatusCode.ServiceUnavailable && s.Code == "5030")) && s.Latency < s_fastError, s.ToString()));
                // Back: from the first success on, everything succeeds, in the same process.
                var after = samples.Where(s => s.StartedAt > recovered).ToList();
                Assert.True(after.Count > 10, $"Too few requests after recovery: {after.Count}");
                Assert.All(after, s => Assert.True(s.Status == HttpStatusCode.OK, s.ToString()));
                Assert.Equal(HttpStatusCode.OK, (await HealthAsync(server, "/health/ready")).Status);
                Assert.False(server.HasExited);
                Assert.Equal(pid, server.Pid);
            }
        }

        // Restarted while the server was idle: its pooled connections are stale. The first request
        // may meet one (5030, and Npgsql drops the pool); every later one succeeds.
        await _cluster.StopAsync("immediate");
        await _cluster.StartAsync();
        var api = server.System;
        var answers = new List<ApiResponse>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await api.GetAsync("/web/v1/system/workspaces/mine", users[i % users.Count].User.AccessToken));
        }
        output.WriteLine($"[idle restart] answers: {string.Join(" ", answers.Select(a => a.Code))}");
        Assert.All(answers.Skip(1), a => a.AssertOk("2.0.0"));
        if (answers[0].Status != HttpStatusCode.OK)
        {
            answers[0].AssertEnvelope(HttpStatusCode.ServiceUnavailable, "5030", "2.0.0");
        }

        // Writes work again end to end, and no request ever became a 500.
        var late = await api.SignUpAsync();
        await api.CreateWorkspaceAsync(late);
        Assert.DoesNotContain(server.Log, l => l.Contains("Unhandled exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostgreSQL_hanging_fails_readiness_within_the_connect_timeout_and_the_process_recovers_when_it_answers()
    {
        var server = await StartServerAsync();
        var users = await LoadGenerator.UsersWithWorkspacesAsync(server, 4);
        await using var load = new LoadGenerator(server, users, workers: 8);
        await load.FlowingAsync();

        // SIGSTOP: connections are still accepted by the kernel, but nothing answers (a hung host, a lost network).
        // Freeze returns once the postmaster and every backend are stopped (state T in /proc): nothing to wait for.
        _cluster.Freeze();
        var frozen = load.Now;
        var first = await HealthAsync(server, "/health/ready");
        var second = await HealthAsync(server, "/health/ready");
        var live = await HealthAsync(server, "/health/live");
        output.WriteLine($"[hang] /health/ready 503 in {Ms(first.Latency)} ms, then in {Ms(second.Latency)} ms; /health/live {(int)live.Status} in {Ms(live.Latency)} ms");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.Status);
        Assert.True(first.Latency < s_readyDeadline && second.Latency < s_readyDeadline, $"/health/ready took {Ms(first.Latency)} and {Ms(second.Latency)} ms");
        Assert.Equal(HttpStatusCode.OK, live.Status);

        var thawing = load.Now;
        _cluster.Thaw();
        var recovered = await load.FirstSuccessAfterAsync(thawing);
        await load.UntilAsync(samples => samples.Count(s => s.StartedAt > recovered) > 10, "more than 10 answers after the first success");
        var samples = load.Samples;

        // Requests that were waiting on the silent database got their answer once it spoke again,
        // and from the first new success on, everything succeeds.
        var stuck = samples.Where(s => s.StartedAt < thawing && s.EndedAt > frozen).ToList();
        output.WriteLine($"[hang] {stuck.Count} requests waited on the frozen database, answered {Ms(Max(stuck, s => s.EndedAt) - thawing)} ms after it answered again at most: " +
            string.Join(", ", stuck.GroupBy(s => s.Code ?? "none").Select(g => $"{g.Key} x{g.Count()}")));
        Assert.NotEmpty(stuck);
        Assert.All(stuck, s => Assert.True(s.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable && s.Code is "2000" or "5030", s.ToString()));
        Assert.All(stuck, s => Assert.True(s.EndedAt < thawing + s_fastError, $"Still waiting {Ms(s.EndedAt - thawing)} ms after the database answered again: {s}"));
        var after = samples.Where(s => s.StartedAt > recovered).ToList();
        Assert.True(after.Count > 10, $"Too few requests after recovery: {after.Count}");
        Assert.All(after, s => Assert.True(s.Status == HttpStatusCode.OK, s.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await HealthAsync(server, "/health/ready")).Status);
        Assert.False(server.HasExited);
    }

    private async Task<ServerProcess> StartServerAsync()
    {
        var server = await ServerProcess.StartAsync("faults", ServerSettings.For(_database));
        _servers.Add(server);
        return server;
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Latency)> HealthAsync(ServerProcess server, string path)
    {
        using var http = server.CreateHttpClient(TimeSpan.FromSeconds(60));
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        return (response.StatusCode, watch.Elapsed);
    }

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private static TimeSpan Max(List<Sample> samples, Func<Sample, TimeSpan> by) => samples.Count == 0 ? TimeSpan.Zero : samples.Max(by);

    private static string Percentile(List<Sample> samples, double p) => samples.Count == 0 ? "-"
        : Ms(samples.Select(s => s.Latency).Order().ElementAt((int)(p * (samples.Count - 1))));

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
        try
        {
            await _database.DisposeAsync();
        }
        catch (Npgsql.NpgsqlException)
        {
            // The cluster is down after a failed test; it is deleted with its databases next.
        }
        await _cluster.DisposeAsync();
    }
}
