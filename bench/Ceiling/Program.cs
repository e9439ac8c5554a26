using System.Globalization;
using System.Text;

// The ceiling: what this machine serves when a request costs nothing but HTTP. One GET endpoint
// answering a precomputed JSON body of the size of the measured endpoint's typical response
// (--body-bytes), with the same content type and caching header as Tenantry's envelope.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var app = builder.Build();

var size = app.Configuration.GetValue("body-bytes", 2600);
var body = Body(size);

app.MapGet("/{**path}", (HttpContext http) =>
{
    http.Response.ContentType = "application/json; charset=utf-8";
    http.Response.Headers.CacheControl = "no-store";
    http.Response.ContentLength = body.Length;
    return http.Response.Body.WriteAsync(body).AsTask();
});

Console.WriteLine($"Ceiling: {body.Length}-byte body");
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
