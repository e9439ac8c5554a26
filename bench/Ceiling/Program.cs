using System.Globalization;
using System.Text;

// The ceiling: what this machine serves when a request costs nothing but HTTP. One GET endpoint
// answering precomputed JSON bodies with the same content type and caching header as Tenantry's
// envelope. With --body-sizes FILE (one size per line, in the order of the benchmark's tokens)
// each request gets a body of the size the measured endpoint answered that user, found by the
// X-Bench-User header bench/workspaces.lua sends (the line number); without it, or for an
// unknown user, a body of --body-bytes.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var app = builder.Build();

var fallback = Body(app.Configuration.GetValue("body-bytes", 2600));
var sizesFile = app.Configuration["body-sizes"];
// Users with the same answer size share one array.
var bodiesBySize = new Dictionary<int, byte[]>();
var bodies = sizesFile is null
    ? []
    : File.ReadLines(sizesFile).Where(line => line.Length > 0)
        .Select(line => int.Parse(line, CultureInfo.InvariantCulture))
        .Select(size => bodiesBySize.TryGetValue(size, out var body) ? body : bodiesBySize[size] = Body(size))
        .ToArray();

app.MapGet("/{**path}", (HttpContext http) =>
{
    var body = fallback;
    if (bodies.Length > 0 && http.Request.Headers.TryGetValue("X-Bench-User", out var user)
        && int.TryParse(user.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var line)
        && line >= 1 && line <= bodies.Length)
    {
        body = bodies[line - 1];
    }
    http.Response.ContentType = "application/json; charset=utf-8";
    http.Response.Headers.CacheControl = "no-store";
    http.Response.ContentLength = body.Length;
    return http.Response.Body.WriteAsync(body).AsTask();
});

Console.WriteLine(bodies.Length > 0
    ? $"Ceiling: {bodies.Length} users' bodies, {bodiesBySize.Count} sizes, mean {bodies.Average(b => b.Length):F0} bytes"
    : $"Ceiling: {fallback.Length}-byte body");
app.Run();

// {"version":"2.0.0",...,"data":[{"pad":"xxxx"}]} padded to exactly the requested length.
static byte[] Body(int size)
{
    var head = "{\"version\":\"2.0.0\",\"timestamp\":1709337600000,\"success\":true,\"code\":\"2000\",\"message\":\"SUCCESS\",\"data\":[{\"pad\":\"";
    const string Tail = "\"}]}";
    var padding = Math.Max(0, size - head.Length - Tail.Length);
    var text = string.Create(CultureInfo.InvariantCulture, $"{head}{new string('x', padding)}{Tail}");
    return Encoding.UTF8.GetBytes(text);
}
