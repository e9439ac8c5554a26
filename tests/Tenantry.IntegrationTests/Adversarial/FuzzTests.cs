using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tenantry.IntegrationTests.Adversarial;

/// <summary>One generated request: anything a confused or hostile client might send.</summary>
public sealed record FuzzRequest(
    string Method, string Path, byte[]? Body, string? ContentType, string? Token, string? PortalCode,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 300)));
        return $"{Method} {Path[..Math.Min(Path.Length, 200)]} [{ContentType}] token={Token?[..Math.Min(Token.Length, 20)]} portal={PortalCode} " +
            $"headers={string.Join("; ", Headers.Select(h => $"{h.Key}: {h.Value[..Math.Min(h.Value.Length, 60)]}"))} body={body}";
    }
}

/// <summary>The fuzz target: a normal server; the test signs up a few users so that authenticated requests reach the use cases.</summary>
public sealed class FuzzApp(IMessageSink diagnostics) : ReportingApp(diagnostics);

/// <summary>
/// Property-based fuzzing with FsCheck: at least 10,000 generated malformed requests across every
/// route of the server (read from its own endpoint table, so new endpoints are fuzzed without
/// edits). Every answer must be below 500, and every SYSTEM answer must be the exact envelope.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class FuzzTests(FuzzApp app, ITestOutputHelper output) : IClassFixture<FuzzApp>
{
    private const int Batches = 400;
    private const int BatchSize = 25;
    private const int Requests = Batches * BatchSize;

    private static readonly string[] s_envelopeKeys = ["version", "timestamp", "success", "code", "message", "data"];

    [Fact]
    public async Task Ten_thousand_malformed_requests_never_get_a_500_and_always_get_a_well_formed_envelope()
    {
        var users = new List<TestUser>();
        var workspaces = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var user = await app.System.SignUpAsync(SystemApi.NewEmail("fuzz"));
            users.Add(user);
            workspaces.Add(await app.System.CreateWorkspaceAsync(user, "Fuzz " + i));
        }
        var routes = Routes();
        var generator = Gen.ArrayOf(RequestGen(routes, users, workspaces), BatchSize);

        var sent = 0;
        var byStatus = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        using var http = app.CreateHttpClient();
        var property = Prop.ForAll(generator.ToArbitrary(), batch =>
        {
            // Off xunit's synchronization context: the property runs synchronously.
            var problems = Task.Run(() => SendBatchAsync(http, batch, byStatus)).GetAwaiter().GetResult();
            Interlocked.Add(ref sent, batch.Length);
            foreach (var problem in problems)
            {
                failures.Enqueue(problem);
            }
            return problems.Count == 0;
        });
        var failed = (Exception?)null;
        try
        {
            FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(Batches).WithQuietOnSuccess(true), property);
        }
        catch (Exception e)
        {
            failed = e;
        }

        var summary = $"Fuzz: {sent} generated requests over {routes.Count} routes, {failures.Count} bad answers; statuses " +
            string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")) + (failed is null ? " — PASSED" : " — FAILED");
        app.Report(summary);
        output.WriteLine(summary);
        Assert.True(failed is null && failures.IsEmpty,
            summary + "\n" + string.Join("\n", failures.Take(10)) + "\n" + failed?.Message + "\n" + string.Join("\n", app.ServerLog.Entries.Take(5)));
        Assert.True(sent >= Requests, $"only {sent} requests were sent");
    }

    private static async Task<List<string>> SendBatchAsync(HttpClient http, FuzzRequest[] batch, ConcurrentDictionary<int, int> byStatus)
    {
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (request, ct) =>
        {
            using var message = ToMessage(request);
            using var response = await http.SendAsync(message, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            byStatus.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if (Judge(request, response.RequestMessage?.RequestUri?.AbsolutePath ?? request.Path, response, body) is { } problem)
            {
                problems.Add($"{problem} — {request} → {(int)response.StatusCode} {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
            }
        });
        return [.. problems];
    }

    /// <summary>Null when the answer is acceptable.</summary>
    /// <summary>Null when the answer is acceptable. <paramref name="path"/> is the path as sent (the client resolves dot segments).</summary>
    private static string? Judge(FuzzRequest request, string path, HttpResponseMessage response, byte[] body)
    {
        if ((int)response.StatusCode >= 500)
        {
            return "server error";
        }
        var system = path.StartsWith("/web/v1", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/admin/v1", StringComparison.OrdinalIgnoreCase);
        if (!system || request.Method == "HEAD")
        {
            return null;
        }
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return "SYSTEM answer is not JSON";
        }
        if (json.ValueKind != JsonValueKind.Object || !json.EnumerateObject().Select(p => p.Name).SequenceEqual(s_envelopeKeys))
        {
            return "not the envelope";
        }
        var status = (int)response.StatusCode;
        var code = json.GetProperty("code");
        var ok = json.GetProperty("version").ValueKind == JsonValueKind.String
            && json.GetProperty("timestamp").ValueKind == JsonValueKind.Number
            && json.GetProperty("success").ValueKind == (status < 400 ? JsonValueKind.True : JsonValueKind.False)
            && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0
            && json.GetProperty("message").ValueKind == JsonValueKind.String && json.GetProperty("message").GetString()!.Length > 0
            && (status < 400 || (code.GetString() == "4000"
                ? json.GetProperty("data").ValueKind == JsonValueKind.Array
                : json.GetProperty("data").ValueKind == JsonValueKind.Null));
        if (!ok)
        {
            return "malformed envelope";
        }
        return response.Content.Headers.ContentType?.MediaType == "application/json" ? null : "envelope without a JSON content type";
    }

    private static HttpRequestMessage ToMessage(FuzzRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.PortalCode is not null)
        {
            message.Headers.TryAddWithoutValidation("X-PORTAL-ACCESS-CODE", request.PortalCode);
        }
        if (request.Token is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", request.Token);
        }
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        return message;
    }

    /// <summary>Every route the server has, as (method, template), from its own endpoint table.</summary>
    private List<(string Method, string Template)> Routes() =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(r => !r.Item2.StartsWith("/docs", StringComparison.Ordinal))
            .Distinct()];

    // A NUL in the path is refused by Kestrel itself (400, no body) before the application; HeaderInjectionTests covers it.
    private static readonly string[] s_oddIds =
    [
        "", " ", "..", "%2e%2e%2f%2e%2e", "null", "undefined", "-1", "0", "9999999999999999999999", "ws_", "WS_01M8A9T56KDM2AVR4TK56NCFBM",
        "ws_01m8a9t56kdm2avr4tk56ncfbm", "ws_01m8a9t56kdm2avr4tk56ncfbmX", "usr_01m8a9t56kdm2avr4tk56ncfbm", "%27%20OR%201%3D1--", "%3Cscript%3E",
        "%F0%9F%92%A5", "%E2%80%AE", new string('a', 3000), "a%20b", "%25", "{workspaceId}", "ws_%01", "%C0%AF",
    ];

    private static readonly string[] s_fieldNames =
    [
        "email", "password", "displayName", "refreshToken", "workspaceName", "workspaceKind", "workspaceTimezone", "institutionName", "extraData",
        "policyConfig", "ipAllowlist", "enforceMfa", "code", "recoveryCode", "challengeId", "clientPublicKey", "roleBizId", "userBizId",
        "roleName", "permissions", "status", "workspaceStatus", "segments", "name", "slug", "__proto__", "", "a.b", "$ref",
    ];

    private static Gen<string> StringGen() => Gen.OneOf(
        Gen.Elements("", " ", "a", "x@y.z", "not-an-email", "correct horse battery", "LIVE", "SANDBOX", "Europe/Paris", "Mars/Olympus",
            "203.0.113.0/24", "999.1.1.1/99", "null", "true", "0", "123456", "\u0000", "\ud83d\udca5", "\u202e", "<script>", "' OR 1=1 --",
            "mfa_x", "rt_x", "workspace.read", "ACTIVE", "SUSPENDED", "{}", "[]"),
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
        Gen.Choose(1000, 20_000).Select(n => new string('x', n)));

    private static Gen<string> JsonGen(int depth)
    {
        var leaf = Gen.OneOf(
            StringGen().Select(s => JsonSerializer.Serialize(s)),
            Gen.Elements("null", "true", "false", "0", "-0", "1e309", "-1", "3.14", "12345678901234567890123", "1E-400", "\"\\ud800\""),
            ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(global::System.Globalization.CultureInfo.InvariantCulture)));
        if (depth <= 0)
        {
            return leaf;
        }
        var member = Gen.Zip(Gen.OneOf(Gen.Elements(s_fieldNames), StringGen()), JsonGen(depth - 1))
            .Select(p => JsonSerializer.Serialize(p.Item1) + ":" + p.Item2);
        var obj = Gen.ListOf(member).Select(m => "{" + string.Join(",", m.Take(8)) + "}");
        var array = Gen.ListOf(JsonGen(depth - 1)).Select(items => "[" + string.Join(",", items.Take(6)) + "]");
        return Gen.Frequency((3, leaf), (4, obj), (1, array));
    }

    private static Gen<byte[]?> BodyGen() => Gen.Frequency<byte[]?>(
        (2, Gen.Constant<byte[]?>(null)),
        (8, JsonGen(3).Select(j => (byte[]?)Encoding.UTF8.GetBytes(j))),
        (1, StringGen().Select(s => (byte[]?)Encoding.UTF8.GetBytes(s))),
        (1, Gen.Elements<byte[]?>(
            Encoding.UTF8.GetBytes(new string('[', 5000)),
            Encoding.UTF8.GetBytes("{\"email\":\"a@b.c\",\"email\":\"d@e.f\"}"),
            [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'],
            [0xFF, 0xFE, 0x00, 0x7B],
            [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'],
            [],
            Encoding.UTF8.GetBytes("{\"iv\":\"AAAAAAAAAAAAAAAA\",\"ciphertext\":\"\",\"tag\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}"))),
        (1, ArbMap.Default.GeneratorFor<byte[]>().Select(b => (byte[]?)b)));

    private static Gen<FuzzRequest> RequestGen(List<(string Method, string Template)> routes, List<TestUser> users, List<string> workspaces)
    {
        var ids = Gen.Frequency<string>((3, Gen.Elements(workspaces.ToArray())), (1, Gen.Elements(users.Select(u => u.UserId))), (4, Gen.Elements(s_oddIds)),
            (1, StringGen().Select(s => Uri.EscapeDataString(new string(s.Where(c => c != '\0').Take(200).ToArray())))));
        var route = Gen.Frequency<(string Method, string Template)>(
            (9, Gen.Elements(routes.ToArray())),
            (1, Gen.Elements(
                ("GET", "/web/v1"), ("POST", "/web/v1/"), ("GET", "/web/v1/{x}/{y}/{z}"), ("DELETE", "/web/v1/workspaces/{x}/roles/{y}"),
                ("GET", "/admin/v1/{x}"), ("GET", "/web/v1//system//workspaces//mine"), ("GET", "/WEB/V1/SYSTEM/WORKSPACES/MINE"),
                ("POST", "/web/v1/auth/sign-in/../sign-up"), ("GET", "/me"), ("GET", "/session"))));
        var method = Gen.Frequency(
            (7, Gen.Constant<string?>(null)),
            (3, Gen.Elements<string?>("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND", "X-FUZZ")));
        var query = Gen.Frequency((6, Gen.Constant("")), (1, Gen.Zip(StringGen(), StringGen()).Select(q =>
            "?" + Uri.EscapeDataString(q.Item1.Length > 200 ? q.Item1[..200] : q.Item1) + "=" + Uri.EscapeDataString(q.Item2.Length > 200 ? q.Item2[..200] : q.Item2))));
        var contentType = Gen.Elements<string?>(
            "application/json", "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data", "application/xml", null, "application/json; charset=utf-16",
            "*/*", "application/merge-patch+json", ";;;", "application/json; boundary=\"x\"");
        var token = Gen.Frequency(
            (3, Gen.Constant<string?>(null)),
            (4, Gen.Elements(users.Select(u => (string?)("Bearer " + u.AccessToken)))),
            (1, Gen.Elements<string?>("Bearer ", "Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30.", "bearer")),
            (1, StringGen().Select(s => (string?)("Bearer " + Printable(s, 4000)))));
        var portal = Gen.Frequency((9, Gen.Constant<string?>(TenantryApp.PortalCode)), (1, Gen.Elements<string?>(null, "", "wrong", "dev-portal")));
        var header = Gen.Zip(
            Gen.Elements("Accept-Language", "X-Workspace-Id", "CF-Connecting-IP", "X-Client-Hash", "Cf-Ray", "cf-ipcountry", "Accept",
                "X-Secure-Channel", "Cookie", "If-None-Match", "Range", "X-Forwarded-Proto", "Origin", "Expect"),
            Gen.OneOf(
                Gen.Elements("", "*", "en;q=abc", "zh-TW,ja;q=0.9,*;q=0.1", "de-DE", "1.2.3.4", "999.1.1.1", "::ffff:1.2.3.4", "1.2.3.4, 5.6.7.8",
                    "unknown", "sch_01m8a9t56kdm2avr4tk56ncfbm", "sch_", "__session=sess_x.y", "bytes=0-1", "text/html", "100-continue-ish"),
                StringGen().Select(s => Printable(s, 4000)))).Select(p => KeyValuePair.Create(p.Item1, p.Item2));
        var headers = Gen.ListOf(header).Select(h => (IReadOnlyList<KeyValuePair<string, string>>)[.. h.Take(4)]);

        return from r in route
               from m in method
               from values in Gen.ListOf(ids)
               from q in query
               from body in BodyGen()
               from type in contentType
               from t in token
               from p in portal
               from h in headers
               select Build(r, m, values, q, body, type, t, p, h);
    }

    /// <summary>
    /// Header values stay valid HTTP (printable ASCII) and, all together, under Kestrel's 32 KiB limit: the fuzz
    /// reaches the application. Invalid and oversized headers, which Kestrel itself refuses, have their own tests.
    /// </summary>
    private static string Printable(string value, int max) => new(value.Where(c => c >= 0x20 && c < 0x7F).Take(max).ToArray());

    /// <summary>
    /// Paths and queries stay under Kestrel's 8 KiB request-line limit, for the same reason: longer ones
    /// (several 3,000-character ids in one path) are refused by Kestrel itself with a bare 414, which HeaderInjectionTests covers.
    /// </summary>
    private const int MaxRequestTarget = 8000;

    private static FuzzRequest Build(
        (string Method, string Template) route, string? method, IReadOnlyList<string> ids, string query, byte[]? body, string? contentType,
        string? token, string? portal, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var index = 0;
        var path = global::System.Text.RegularExpressions.Regex.Replace(route.Template, @"\{[^}]+\}", _ => ids.Count == 0 ? "x" : ids[index++ % ids.Count]);
        if (path.Length + query.Length > MaxRequestTarget)
        {
            path = global::System.Text.RegularExpressions.Regex.Replace(route.Template, @"\{[^}]+\}", "x");
        }
        if (path.Contains("/auth/sign-out", StringComparison.Ordinal) && token is not null && !token.Contains("garbage", StringComparison.Ordinal))
        {
            // Keep the fuzz users signed in: sign-out is fuzzed with tokens that are not theirs.
            token = "Bearer garbage";
        }
        return new FuzzRequest(method ?? route.Method, path + query, body, contentType, token, portal, headers);
    }
}
