using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>One request that reached the receiver, and which of its secrets verified it (none: not verified).</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, IReadOnlyList<string> VerifiedWith, DateTime ReceivedAt)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string Type => Json.GetProperty("type").GetString()!;

    public JsonElement Data => Json.GetProperty("data");
}

/// <summary>
/// A webhook receiver: Kestrel on 127.0.0.1 (a random port, or a given one to come back on), that
/// verifies every request with the StandardWebhooks library against the secrets it was told, records
/// it, and answers as the test says (a status code, or hanging). <see cref="StopAsync"/> takes it
/// off the network (connections refused) until <see cref="StartAsync(int)"/> brings it back.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private WebApplication? _app;

    private WebhookReceiver()
    {
    }

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}/hooks/tenantry";

    /// <summary>The secrets (<c>whsec_…</c>) a request may be signed with; it is verified against each.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    /// <summary>What to answer; 204 unless the test says otherwise.</summary>
    public Func<ReceivedWebhook, int> Answer { get; set; } = _ => 204;

    /// <summary>When set, requests are held this long before being answered (a hanging receiver).</summary>
    public TimeSpan? Hang { get; set; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAsync(0);
        return receiver;
    }

    public async Task StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/hooks/tenantry", HandleAsync);
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await app.StopAsync(soon.Token);
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        // Each signature of the header on its own: StandardWebhooks 1.1.2 checks only the first signature of a
        // header that has several (its loop stops before the last one), so a header is verified one signature at a time.
        var verified = new List<string>();
        foreach (var secret in Secrets)
        {
            foreach (var signature in http.Request.Headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var one = new HeaderDictionary
                {
                    ["webhook-id"] = http.Request.Headers["webhook-id"],
                    ["webhook-timestamp"] = http.Request.Headers["webhook-timestamp"],
                    ["webhook-signature"] = signature,
                };
                try
                {
                    new StandardWebhook(secret).Verify(body, one);
                    verified.Add(secret);
                    break;
                }
                catch (WebhookVerificationException)
                {
                    // Not this secret.
                }
            }
        }
        var received = new ReceivedWebhook(http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
            http.Request.Headers["webhook-signature"].ToString(), body, verified, DateTime.UtcNow);
        _received.Enqueue(received);
        if (Hang is { } hang)
        {
            try
            {
                await Task.Delay(hang, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        http.Response.StatusCode = verified.Count > 0 ? Answer(received) : 401;
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived; fails with what did arrive otherwise.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (_received.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"Only {_received.Count} of {count} webhooks arrived: {string.Join(", ", _received.Select(r => r.Type))}");
            await Task.Delay(50);
        }
        return Received;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
