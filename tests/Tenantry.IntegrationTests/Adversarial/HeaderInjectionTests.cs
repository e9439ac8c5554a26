using System.Net;
using System.Net.Sockets;
using System.Text;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.System;

namespace Tenantry.IntegrationTests.Adversarial;

/// <summary>
/// Requests HttpClient refuses to send (CR/LF inside header values, NUL in the path), written on
/// a raw socket; oversized headers; and header values chosen to break whatever echoes them.
/// </summary>
public sealed class HeaderInjectionTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    /// <summary>Sends <paramref name="head"/> (request line and headers, without the final blank line) and returns the raw answer.</summary>
    private async Task<(int Status, string Raw)> SendRawAsync(string head)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head + "\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var raw = new StringBuilder();
        var buffer = new char[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        while ((read = await reader.ReadAsync(buffer, timeout.Token)) > 0)
        {
            raw.Append(buffer, 0, read);
            var text = raw.ToString();
            // One answer is enough: stop at the end of its body (Content-Length) or when the server closes.
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end > 0 && ContentLength(text[..end]) is { } length && text.Length >= end + 4 + length)
            {
                break;
            }
        }
        var answer = raw.ToString();
        return (int.Parse(answer.Split(' ')[1], global::System.Globalization.CultureInfo.InvariantCulture), answer);
    }

    private static int? ContentLength(string head) =>
        head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => (int?)int.Parse(p[1].Trim(), global::System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    private string Head(string requestLine, params string[] headers) =>
        string.Join("\r\n", new[] { requestLine, $"Host: {app.BaseAddress.Authority}", $"X-PORTAL-ACCESS-CODE: {TenantryApp.PortalCode}", "Connection: close" }.Concat(headers));

    [Fact]
    public async Task A_well_formed_raw_request_is_answered_in_the_envelope()
    {
        // Control for the raw requests below: the socket client itself is right.
        var (status, raw) = await SendRawAsync(Head("GET /web/v1/system/enums HTTP/1.1"));
        Assert.Equal(200, status);
        Assert.Contains("\"code\":\"2000\"", raw);
    }

    [Fact]
    public async Task A_bare_lf_only_splits_request_headers_and_nothing_reaches_the_answer()
    {
        // Kestrel reads a bare LF as a line end: the "injected" line is just another request header, echoed nowhere.
        var (status, raw) = await SendRawAsync(Head("GET /web/v1/system/enums HTTP/1.1", "Accept-Language: en\nSet-Cookie: injected=1"));

        Assert.Equal(200, status);
        Assert.DoesNotContain("injected", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Set-Cookie", raw, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Accept-Language: en\rSet-Cookie: injected=1")]
    [InlineData("X-Client-Hash: a\r\n Set-Cookie: injected=1")]
    [InlineData("CF-Connecting-IP: 203.0.113.9\rX-Injected: 1")]
    [InlineData("X-Workspace-Id: ws\u0000x")]
    public async Task Cr_lf_and_nul_inside_header_values_are_refused(string header)
    {
        var (status, raw) = await SendRawAsync(Head("GET /web/v1/system/enums HTTP/1.1", header));

        Assert.Equal(400, status);
        Assert.DoesNotContain("injected", raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_nul_in_the_path_is_refused()
    {
        var (status, _) = await SendRawAsync(Head("GET /web/v1/workspaces/%00 HTTP/1.1"));
        Assert.Equal(400, status);
    }

    [Theory]
    [InlineData(40 * 1024)]
    [InlineData(200 * 1024)]
    public async Task Oversized_headers_are_431_never_500(int size)
    {
        var (status, _) = await SendRawAsync(Head("GET /web/v1/system/enums HTTP/1.1", "X-Client-Hash: " + new string('a', size)));
        Assert.Equal(431, status);
    }

    [Fact]
    public async Task An_oversized_request_line_is_414_never_500()
    {
        var (status, _) = await SendRawAsync(Head($"PATCH /web/v1/{new string('a', 3000)}/{new string('a', 3000)}/{new string('a', 3000)} HTTP/1.1"));
        Assert.Equal(414, status);
    }

    [Fact]
    public async Task Many_headers_are_431_never_500()
    {
        var headers = Enumerable.Range(0, 1000).Select(i => $"X-Filler-{i}: {new string('b', 40)}").ToArray();
        var (status, _) = await SendRawAsync(Head("GET /web/v1/system/enums HTTP/1.1", headers));
        Assert.Equal(431, status);
    }

    [Fact]
    public async Task Large_but_allowed_header_values_are_answered_normally()
    {
        var big = new string('x', 12 * 1024);
        var response = await _api.SendAsync(HttpMethod.Get, "/web/v1/system/enums", configure: r =>
        {
            r.Headers.TryAddWithoutValidation("Accept-Language", big);
            r.Headers.TryAddWithoutValidation("X-Client-Hash", big);
        });
        response.AssertOk();
        Assert.Equal("en", response.Header("Content-Language"));
    }

    [Theory]
    [InlineData("en\"; injected")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("ja;q=0.9, evil/../..;q=1")]
    public async Task Echoed_headers_carry_only_what_the_server_chose(string language)
    {
        var response = await _api.SendAsync(HttpMethod.Get, "/web/v1/system/enums", language: null, configure: r => r.Headers.TryAddWithoutValidation("Accept-Language", language));
        response.AssertOk();
        Assert.Contains(response.Header("Content-Language"), new[] { "en", "ja" });
    }
}

/// <summary>A spoofed CF-Connecting-IP from a peer that is not a trusted proxy changes nothing: not the rate limits, not the recorded address.</summary>
public sealed class SpoofedClientIpApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Gateway:TrustForwardedFrom:0"] = "10.9.9.9/32";
        settings.Remove("Tenantry:Gateway:TrustForwardedFrom:1");
        settings["Tenantry:Auth:AuthRequestsPerIp"] = "3";
        settings["Tenantry:Gateway:RequireSecureChannel"] = "false";
    }
}

public sealed class SpoofedClientIpTests(SpoofedClientIpApp app) : IClassFixture<SpoofedClientIpApp>
{
    [Fact]
    public async Task Rotating_a_spoofed_address_does_not_escape_the_per_ip_limit()
    {
        var api = app.System;
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await api.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-in", new { email = $"x{i}@example.com", password = "wrong password" },
                clientIp: $"203.0.113.{i + 1}")).Status);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task The_session_records_the_real_peer_not_the_spoofed_address()
    {
        // The limit of 3 is per test class address; this test signs up through a fresh address of the loopback range.
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = app.BaseAddress };
        var user = await new SystemApi(http).SignUpAsync();

        var recorded = await app.WithDbAsync(db => Task.FromResult(db.Sessions.Where(s => s.Id == user.SessionId).Select(s => s.ClientIp).Single()));
        Assert.Equal("127.0.0.2", recorded);
    }
}
