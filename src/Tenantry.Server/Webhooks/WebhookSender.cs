using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using Tenantry.Application.Webhooks;
using Tenantry.Application.Webhooks.Delivery;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Server.Webhooks;

/// <summary>
/// Sends one signed attempt: Standard Webhooks headers (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>, one <c>v1,</c> signature per valid secret, made by the
/// <c>StandardWebhooks</c> library), a timeout, no redirects, no proxy, and at most a few KiB of
/// the answer read. Every connection goes through <see cref="ConnectAsync"/>, which resolves the
/// host itself and connects only to allowed addresses, then checks the address it reached, so a
/// host that changed its DNS to a private address after the endpoint was created gets nothing.
/// </summary>
public sealed class WebhookSender : IWebhookSender, IDisposable
{
    public const string UserAgent = "Tenantry-Webhooks/1.0";

    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // A proxy would connect on our behalf, past the address check.
            UseProxy = false,
            ConnectTimeout = _options.Timeout,
            // New connections now and then, so that DNS changes are seen (and checked).
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    public async Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var timestamp = _clock.GetUtcNow();
        var signature = string.Join(' ', request.Secrets.Select(secret => new StandardWebhook(secret).Sign(request.MessageId, timestamp, request.Payload)));
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
        {
            Content = new StringContent(request.Payload, Encoding.UTF8, "application/json"),
        };
        message.Headers.TryAddWithoutValidation("webhook-id", request.MessageId);
        message.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation("webhook-signature", signature);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var body = await ReadStartAsync(response.Content, timeout.Token);
            string? error = status switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => $"The endpoint answered {status} (a redirect{(response.Headers.Location is { } to ? " to " + to : "")}); redirects are not followed",
                _ => $"The endpoint answered {status}",
            };
            return new WebhookResponse(status, watch.Elapsed, body, error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResponse(null, watch.Elapsed, null, $"No answer within {_options.Timeout.TotalSeconds:0.###} s (timed out)");
        }
        catch (HttpRequestException e)
        {
            return new WebhookResponse(null, watch.Elapsed, null, Describe(e));
        }
    }

    /// <summary>The first bytes of the answer, as text; the rest is never read. Null when it could not be read.</summary>
    private async Task<string?> ReadStartAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[_options.MaxResponseBytes];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressNotAllowedException refused)
            {
                return refused.Message;
            }
        }
        var root = e.GetBaseException();
        return root == e ? e.Message : $"{e.Message} ({root.Message})";
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = _options.AllowPrivateNetworks ? addresses : addresses.Where(WebhookAddresses.IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new AddressNotAllowedException(
                $"{host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}: not a public address, refused (SSRF rule)");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            if (!_options.AllowPrivateNetworks && (socket.RemoteEndPoint is not IPEndPoint { Address: var reached } || !WebhookAddresses.IsPublic(reached)))
            {
                throw new AddressNotAllowedException($"{host}: the connection reached an address that is not public, refused (SSRF rule)");
            }
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed class AddressNotAllowedException(string message) : IOException(message);
}
