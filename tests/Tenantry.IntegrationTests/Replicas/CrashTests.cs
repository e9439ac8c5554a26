using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Workspaces;
using Tenantry.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// A server process killed with SIGKILL in the middle of a stream of writes loses nothing it
/// had answered 2000 (issue 6). Runs on the database under test: in the SQLite pass on the
/// embedded file (WAL, synchronous=NORMAL), in the PostgreSQL pass on PostgreSQL.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private sealed record Answered(TestUser User, string? WorkspaceId);

    [Fact]
    public async Task A_server_killed_mid_write_loses_nothing_it_had_answered()
    {
        await using var database = await TestDatabase.CreateAsync();
        var settings = ServerSettings.For(database);
        var answered = new ConcurrentDictionary<string, Answered>();
        var sends = new SendTimes();

        Uri doomedAddress;
        await using (var doomed = await ServerProcess.StartAsync("doomed", settings))
        {
            doomedAddress = doomed.BaseAddress;
            using var stop = new CancellationTokenSource();
            // Each writer signs up a new account and creates its workspace, again and again.
            var writers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                using var http = sends.CreateClient(doomed.BaseAddress);
                var api = new SystemApi(http);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var user = await api.SignUpAsync();
                        answered[user.UserId] = new Answered(user, null);
                        answered[user.UserId] = new Answered(user, await api.CreateWorkspaceAsync(user));
                    }
                    catch (HttpRequestException)
                    {
                        // No answer: the process died before or under this request; SendTimes says which.
                        return;
                    }
                }
            })).ToList();

            var watch = Stopwatch.StartNew();
            while (answered.Count < 20 && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }
            sends.MarkKill();
            await doomed.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(answered.Count >= 20, $"Only {answered.Count} writes answered before the kill.\n{doomed.LogTail()}");
        }
        var snapshot = answered.Values.ToList();
        output.WriteLine($"{database.Provider}: {snapshot.Count} accounts and {snapshot.Count(a => a.WorkspaceId is not null)} workspaces answered before SIGKILL; " +
            $"{sends.CutOff} requests sent before the kill never answered, {sends.FailedOtherwise} failed without having been sent before it");
        // The kill landed mid-stream: requests whose bodies had reached the server's socket before the kill got no answer.
        // Requests first tried after the kill (connection refused) do not count.
        Assert.True(sends.CutOff > 0, $"No request was in flight when the process was killed ({sends.FailedOtherwise} failed without having been sent before it).");
        // The count itself: a request first tried after the kill (refused) is not counted as in flight.
        var (cutOff, failedOtherwise) = (sends.CutOff, sends.FailedOtherwise);
        using (var late = sends.CreateClient(doomedAddress))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => new SystemApi(late).SignUpAsync());
        }
        Assert.Equal((cutOff, failedOtherwise + 1), (sends.CutOff, sends.FailedOtherwise));

        // A new process on the same database sees every answered write; the old tokens still work,
        // so the sessions and the signing keys were committed too.
        await using var successor = await ServerProcess.StartAsync("successor", settings);
        var api = successor.System;
        foreach (var (user, workspaceId) in snapshot)
        {
            var mine = await api.ListMineAsync(user);
            if (workspaceId is not null)
            {
                Assert.Equal(workspaceId, Assert.Single(mine).GetProperty("workspaceBizId").GetString());
            }
        }
        await using var db = new DirectDatabase(database);
        var emails = snapshot.Select(a => EmailAddress.Normalize(a.User.Email)).ToList();
        Assert.Equal(snapshot.Count, await db.CountAsync<UserAccount>(q => q.Where(u => emails.Contains(u.NormalizedEmail))));
        var workspaces = snapshot.Where(a => a.WorkspaceId is not null).Select(a => a.WorkspaceId!).ToList();
        Assert.Equal(workspaces.Count, await db.CountAsync<Workspace>(q => q.Where(w => workspaces.Contains(w.Id))));
        // And the database is consistent where a write was cut off: no workspace without its owner membership.
        // (Two reads compared here: Citus does not correlate a subquery over memberships, keyed by user, with workspaces.)
        var allWorkspaces = await db.WithDbAsync(ctx => ctx.Workspaces.Select(w => w.Id).ToListAsync());
        var withMembers = await db.WithDbAsync(ctx => ctx.WorkspaceMemberships.Select(m => m.WorkspaceId).Distinct().ToListAsync());
        Assert.Empty(allWorkspaces.Except(withMembers));
    }
    /// <summary>
    /// Notes, for every request of its clients, the moment the request body had been written and
    /// flushed to the connection ("sent"), and classifies each request that got no answer: sent
    /// before <see cref="MarkKill"/> (in flight at the kill) or not (for example refused afterwards).
    /// </summary>
    private sealed class SendTimes
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _killedAtTicks = long.MaxValue;
        private int _cutOff;
        private int _failedOtherwise;

        public int CutOff => Volatile.Read(ref _cutOff);

        public int FailedOtherwise => Volatile.Read(ref _failedOtherwise);

        /// <summary>Call just before the kill: a request sent after this instant is not counted as in flight.</summary>
        public void MarkKill() => Interlocked.Exchange(ref _killedAtTicks, _clock.Elapsed.Ticks);

        public HttpClient CreateClient(Uri baseAddress) =>
            new(new Handler(this)) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

        private sealed class Handler(SendTimes times) : DelegatingHandler(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                long? sentAt = null;
                if (request.Content is { } content)
                {
                    request.Content = new NotedContent(content, () => sentAt = times._clock.Elapsed.Ticks);
                }
                try
                {
                    return await base.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException)
                {
                    if (sentAt is { } sent && sent < Interlocked.Read(ref times._killedAtTicks))
                    {
                        Interlocked.Increment(ref times._cutOff);
                    }
                    else
                    {
                        Interlocked.Increment(ref times._failedOtherwise);
                    }
                    throw;
                }
            }
        }

        /// <summary>The same body, with a note once it has been written and flushed to the connection.</summary>
        private sealed class NotedContent : HttpContent
        {
            private readonly HttpContent _inner;
            private readonly Action _sent;

            public NotedContent(HttpContent inner, Action sent)
            {
                _inner = inner;
                _sent = sent;
                foreach (var (name, values) in inner.Headers)
                {
                    Headers.TryAddWithoutValidation(name, values);
                }
            }

            protected override async Task SerializeToStreamAsync(Stream stream, global::System.Net.TransportContext? context)
            {
                await _inner.CopyToAsync(stream);
                await stream.FlushAsync();
                _sent();
            }

            protected override bool TryComputeLength(out long length)
            {
                length = _inner.Headers.ContentLength ?? -1;
                return length >= 0;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _inner.Dispose();
                }
                base.Dispose(disposing);
            }
        }
    }
}
