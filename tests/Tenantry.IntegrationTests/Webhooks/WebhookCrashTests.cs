using System.Collections.Concurrent;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Replicas;
using Xunit.Abstractions;

namespace Tenantry.IntegrationTests.Webhooks;

/// <summary>
/// A server killed with SIGKILL while it delivers loses no event: every change it had answered
/// 2000 is delivered, after the restart (one process, the database under test) or by the other
/// replica (two processes on PostgreSQL), and a delivery that arrives twice arrives with the same
/// <c>webhook-id</c> each time.
/// </summary>
public sealed class WebhookCrashTests(ITestOutputHelper output)
{
    /// <summary>Fast intervals, and short claim timeouts so that a dead process's claims are taken over within seconds.</summary>
    private static Dictionary<string, string?> Settings(TestDatabase database)
    {
        var extra = WebhookApp.FastSettings();
        extra["Tenantry:Webhooks:LeaseDuration"] = "00:00:04";
        extra["Tenantry:Outbox:ClaimTimeout"] = "00:00:04";
        return ServerSettings.For(database, extra);
    }

    private sealed record Endpoint(string Id, string Secret);

    /// <summary>Writers that create roles through the given servers until stopped; the role ids answered 2000.</summary>
    private static (Task Writers, ConcurrentBag<string> Answered) Write(IReadOnlyList<ServerProcess> servers, TestUser owner, string workspaceId, CancellationToken stop)
    {
        var answered = new ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            using var http = servers[i % servers.Count].CreateHttpClient(TimeSpan.FromSeconds(30));
            var api = new SystemApi(http);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    var response = await api.CreateRoleAsync(owner, workspaceId, $"W{i}-{n}", "members.read");
                    if ((int)response.Status == 200)
                    {
                        answered.Add(response.Data.Text("roleBizId"));
                    }
                }
                catch (HttpRequestException)
                {
                    return;
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        })).ToList();
        return (Task.WhenAll(writers), answered);
    }

    /// <summary>Every answered role reached every endpoint, and each (event, endpoint) arrived under one webhook-id only.</summary>
    private async Task AssertEveryAnsweredChangeDeliveredAsync(WebhookReceiver receiver, IReadOnlyList<Endpoint> endpoints, IReadOnlyCollection<string> answered)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var received = receiver.Received;
            var missing = endpoints.SelectMany(e => answered.Where(role => !received.Any(r => r.VerifiedWith.Contains(e.Secret) && r.Type == "role.created"
                && r.Data.Text("targetBizId") == role)).Select(role => (e.Id, role))).ToList();
            if (missing.Count == 0)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{missing.Count} answered changes never arrived, e.g. {missing[0]}; {received.Count} arrived.");
            await Task.Delay(200);
        }
        var all = receiver.Received;
        Assert.All(all, r => Assert.Single(r.VerifiedWith));
        var byDelivery = all.GroupBy(r => (Event: r.Data.Text("eventBizId"), Endpoint: r.VerifiedWith[0])).ToList();
        Assert.All(byDelivery, g => Assert.Single(g.Select(r => r.Id).Distinct()));
        var twice = byDelivery.Count(g => g.Count() > 1);
        output.WriteLine($"{answered.Count} changes answered before the kill; {all.Count} requests received for {byDelivery.Count} deliveries; " +
            $"{twice} deliveries arrived more than once (in flight at the kill), each time under the same webhook-id");
    }

    [Fact]
    public async Task A_server_killed_mid_delivery_delivers_every_answered_change_after_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        var settings = Settings(database);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Hang = TimeSpan.FromMilliseconds(150);
        TestUser owner;
        string workspaceId;
        Endpoint endpoint;
        ConcurrentBag<string> answered;

        await using (var doomed = await ServerProcess.StartAsync("doomed", settings))
        {
            var api = doomed.System;
            owner = await api.SignUpAsync();
            workspaceId = await api.CreateWorkspaceAsync(owner);
            var (id, secret) = await api.CreateWebhookAsync(owner, workspaceId, receiver.Url, "role.created");
            endpoint = new Endpoint(id, secret);
            receiver.Secrets.Add(secret);

            using var stop = new CancellationTokenSource();
            var (writers, bag) = Write([doomed], owner, workspaceId, stop.Token);
            answered = bag;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while ((receiver.Received.Count < 10 || answered.Count < 30) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            await doomed.KillAsync();
            await stop.CancelAsync();
            await writers;
            Assert.True(receiver.Received.Count >= 10 && answered.Count >= 30, $"Too little happened before the kill.\n{doomed.LogTail()}");
        }
        var snapshot = answered.ToList();
        Assert.True(snapshot.Count > receiver.Received.Count, "Some answered changes were still to be delivered at the kill.");

        await using var successor = await ServerProcess.StartAsync("successor", settings);
        receiver.Hang = null;
        await AssertEveryAnsweredChangeDeliveredAsync(receiver, [endpoint], snapshot);
    }

    [Fact]
    [Trait(PostgresOnly.Trait, PostgresOnly.Value)]
    public async Task A_replica_killed_mid_delivery_loses_nothing_and_the_other_replica_delivers_it()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        var settings = Settings(database);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Hang = TimeSpan.FromMilliseconds(100);
        var started = await Task.WhenAll(ServerProcess.StartAsync("A", settings), ServerProcess.StartAsync("B", settings));
        await using var a = started[0];
        await using var b = started[1];

        var api = a.System;
        var owner = await api.SignUpAsync();
        var workspaceId = await api.CreateWorkspaceAsync(owner);
        var endpoints = new List<Endpoint>();
        for (var i = 0; i < 3; i++)
        {
            var (id, secret) = await api.CreateWebhookAsync(owner, workspaceId, receiver.Url, "role.created");
            endpoints.Add(new Endpoint(id, secret));
            receiver.Secrets.Add(secret);
        }

        using var stop = new CancellationTokenSource();
        var (writers, answered) = Write([a, b], owner, workspaceId, stop.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((receiver.Received.Count < 20 || answered.Count < 30) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        // While both run, no delivery is sent twice: each is claimed by one replica.
        var beforeKill = receiver.Received;
        Assert.Equal(beforeKill.Count, beforeKill.Select(r => r.Id).Distinct().Count());
        await a.KillAsync();
        await stop.CancelAsync();
        await writers;
        Assert.True(answered.Count >= 30, $"Too little happened before the kill.\n{a.LogTail()}\n{b.LogTail()}");

        // B has carried on alone; what A held (leases, claimed outbox messages) is taken over once its claims run out.
        receiver.Hang = null;
        await AssertEveryAnsweredChangeDeliveredAsync(receiver, endpoints, answered.ToList());
        Assert.False(b.HasExited);
    }
}
