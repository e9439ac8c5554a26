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
        var unanswered = 0;

        await using (var doomed = await ServerProcess.StartAsync("doomed", settings))
        {
            using var stop = new CancellationTokenSource();
            // Each writer signs up a new account and creates its workspace, again and again.
            var writers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                using var http = doomed.CreateHttpClient(TimeSpan.FromSeconds(30));
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
                        // No answer: the process died under this request. Whatever it was, it was never acknowledged.
                        Interlocked.Increment(ref unanswered);
                        return;
                    }
                }
            })).ToList();

            var watch = Stopwatch.StartNew();
            while (answered.Count < 20 && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }
            await doomed.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(answered.Count >= 20, $"Only {answered.Count} writes answered before the kill.\n{doomed.LogTail()}");
        }
        var snapshot = answered.Values.ToList();
        output.WriteLine($"{database.Provider}: {snapshot.Count} accounts and {snapshot.Count(a => a.WorkspaceId is not null)} workspaces answered before SIGKILL; {unanswered} requests cut off");
        // The kill landed mid-stream: writers were waiting for answers that never came.
        Assert.True(unanswered > 0, "No request was in flight when the process was killed.");

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
        Assert.Equal(0, await db.WithDbAsync(ctx => ctx.Workspaces.CountAsync(w => !ctx.WorkspaceMemberships.Any(m => m.WorkspaceId == w.Id))));
    }
}
