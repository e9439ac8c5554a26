using StandardWebhooks;
using StandardWebhooks.Diagnostics;

// POST /hooks: verified with the secret from POST /secret (204) or refused (401); GET /count: "received verified rejected".
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
StandardWebhook? verifier = null;
long received = 0, verified = 0, rejected = 0;

app.MapPost("/secret", async (HttpRequest request) =>
{
    using var reader = new StreamReader(request.Body);
    verifier = new StandardWebhook((await reader.ReadToEndAsync()).Trim());
    return Results.NoContent();
});
app.MapPost("/hooks", async (HttpRequest request) =>
{
    Interlocked.Increment(ref received);
    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync();
    try
    {
        (verifier ?? throw new WebhookVerificationException("no secret")).Verify(body, request.Headers);
        Interlocked.Increment(ref verified);
        return Results.NoContent();
    }
    catch (WebhookVerificationException)
    {
        Interlocked.Increment(ref rejected);
        return Results.StatusCode(401);
    }
});
app.MapGet("/count", () => $"{Interlocked.Read(ref received)} {Interlocked.Read(ref verified)} {Interlocked.Read(ref rejected)}");
app.MapGet("/ready", () => "ok");
app.Run();
