using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>What Wacht's sign-in and account forms send and get back, for the tests of <c>/auth/*</c> and <c>/me/*</c> security routes.</summary>
public static class WachtForms
{
    /// <summary>A <c>multipart/form-data</c> body, as the SDK builds with <c>FormData</c>; a name may repeat (<c>codes</c>).</summary>
    public static HttpContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return form;
    }

    /// <summary>The <c>__session</c> cookie an answer set.</summary>
    public static string SessionCookie(this WachtResponse response) =>
        response.Message.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__session=", StringComparison.Ordinal)).Split(';')[0]["__session=".Length..];

    public static bool SetsSessionCookie(this WachtResponse response) =>
        response.Message.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("__session=", StringComparison.Ordinal) && !c.StartsWith("__session=;", StringComparison.Ordinal));

    public static Task<WachtResponse> SignInAsync(this WachtApi wacht, string email, string password, string? clientIp = WachtApi.ClientIp) =>
        wacht.SendAsync(HttpMethod.Post, "/auth/signin", cookie: null, Form(("strategy", "plain_email"), ("email", email), ("password", password)), clientIp);

    public static Task<WachtResponse> CompleteSignInAsync(this WachtApi wacht, string attemptId, string code) =>
        wacht.PostAsync($"/auth/attempt-verification?attempt_identifier={Uri.EscapeDataString(attemptId)}&identifier_type=signin", cookie: null,
            Form(("verification_code", code)));

    /// <summary>The code of the newest verification email queued for the user, decrypted with the server's key ring (no mail server needed).</summary>
    public static async Task<string> QueuedVerificationCodeAsync(this TenantryApp app, string userId)
    {
        var messages = await app.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Kind == OutboxKinds.EmailVerification).ToListAsync());
        var newest = messages.Where(m => m.Payload.Contains(userId, StringComparison.Ordinal)).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Last();
        var payload = OutboxWriter.Read<EmailVerificationPayload>(newest);
        return app.Services.GetRequiredService<SecretsAtRest>().UnprotectText(SecretKind.OutboxSecret, payload.ProtectedCode);
    }
}
