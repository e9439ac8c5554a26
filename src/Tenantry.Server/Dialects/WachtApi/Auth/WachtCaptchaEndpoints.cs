using System.Text.Json;
using Tenantry.Application.Accounts.Captcha;
using Tenantry.Domain.Common;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Auth;

/// <summary>
/// The two routes of Cap's widget, which Wacht's sign-in and sign-up forms load and point at <c>&lt;backend&gt;/captcha/</c>:
/// a challenge (no body) and its redeem (<c>{"token", "solutions": [numbers]}</c>, JSON). Answers are Cap's own shapes, not
/// Wacht's envelope: the widget reads them. A failed redeem is a Wacht 400 that also carries Cap's <c>success</c> and <c>error</c>.
/// </summary>
internal static class WachtCaptchaEndpoints
{
    /// <summary>A redeem body holds a token and one small number per puzzle: far below this.</summary>
    private const int MaxRedeemBytes = 64 * 1024;

    public static void Map(RouteGroupBuilder anonymous)
    {
        var captcha = anonymous.MapGroup("/captcha");

        captcha.MapPost("/challenge", Challenge)
            .WithSummary("A proof-of-work challenge for Cap's widget: {challenge: {c, s, d}, token, expires (epoch ms)}. Each of the c " +
                "puzzles is a salt and a hex target derived from the token; a solution is a number whose SHA-256 of salt+number starts " +
                "with the target")
            .Produces<CapChallengeAnswer>();

        captcha.MapPost("/redeem", RedeemAsync)
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("Redeem a challenge (JSON {token, solutions}) for a pass, {success: true, token, expires}: the challenge_token the " +
                "sign-in and sign-up forms send. Each challenge is redeemed once; a wrong, used or expired one answers 400")
            .Produces<CapRedeemAnswer>();
    }

    private static IResult Challenge(CaptchaPasses captcha, HttpContext http)
    {
        var challenge = captcha.NewChallenge();
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new CapChallengeAnswer(new CapChallengeParameters(challenge.Count, challenge.SaltLength, challenge.Difficulty), challenge.Token,
                challenge.ExpiresAt.ToUnixTimeMilliseconds()),
            WachtJsonContext.Default.CapChallengeAnswer);
    }

    private static async Task<IResult> RedeemAsync(CaptchaPasses captcha, HttpContext http, CancellationToken ct)
    {
        var (token, solutions) = await ReadRedeemAsync(http, ct);
        var pass = await captcha.RedeemAsync(token, solutions, ct);
        if (!pass.IsSuccess)
        {
            return WachtErrors.Describe(pass.Error) with { ForCapWidget = true };
        }
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(new CapRedeemAnswer(true, pass.Value.Token, pass.Value.ExpiresAt.ToUnixTimeMilliseconds()),
            WachtJsonContext.Default.CapRedeemAnswer);
    }

    /// <summary>The token and the solutions, or nulls for a body that is not such an object (which then redeems nothing).</summary>
    private static async Task<(string? Token, List<long>? Solutions)> ReadRedeemAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxRedeemBytes)
        {
            return (null, null);
        }
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("solutions", out var solutions) || solutions.ValueKind != JsonValueKind.Array)
            {
                return (null, null);
            }
            var numbers = new List<long>();
            foreach (var solution in solutions.EnumerateArray())
            {
                if (solution.ValueKind != JsonValueKind.Number || !solution.TryGetInt64(out var number))
                {
                    return (null, null);
                }
                numbers.Add(number);
            }
            return (token.GetString(), numbers);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
