using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;
using static Tenantry.IntegrationTests.Wacht.WachtForms;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>A captcha pass required by the forms, easy puzzles (the tests solve them), two form submissions per pass.</summary>
public sealed class CaptchaRequiredApp : ClockedTenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Wacht:DeploymentId"] = WachtApp.DeploymentId;
        settings["Tenantry:Wacht:Captcha:Required"] = "true";
        settings["Tenantry:Wacht:Captcha:ChallengeCount"] = "3";
        settings["Tenantry:Wacht:Captcha:Difficulty"] = "2";
        settings["Tenantry:Wacht:Captcha:UsesPerPass"] = "2";
    }
}

/// <summary>
/// The proof-of-work check in front of Wacht's sign-in and sign-up forms, spoken as Cap's widget speaks it: a challenge, the
/// solutions found by brute force exactly as the protocol defines them (this class's own solver), the redeem, and the pass
/// sent as <c>challenge_token</c>.
/// </summary>
public sealed class CaptchaTests(CaptchaRequiredApp app) : IClassFixture<CaptchaRequiredApp>
{
    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private async Task<JsonElement> ChallengeAsync()
    {
        var response = await _wacht.SendAsync(HttpMethod.Post, "/captcha/challenge", null);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json;
    }

    private Task<WachtResponse> RedeemAsync(string token, IEnumerable<long> solutions) =>
        _wacht.SendAsync(HttpMethod.Post, "/captcha/redeem", null,
            new StringContent(JsonSerializer.Serialize(new { token, solutions }), Encoding.UTF8, "application/json"));

    private async Task<string> PassAsync()
    {
        var challenge = await ChallengeAsync();
        var redeemed = await RedeemAsync(challenge.GetProperty("token").GetString()!, CapSolver.Solve(challenge));
        Assert.Equal(HttpStatusCode.OK, redeemed.Status);
        return redeemed.Json.GetProperty("token").GetString()!;
    }

    private Task<WachtResponse> SignInAsync(TestUser user, string? pass) =>
        _wacht.PostAsync("/auth/signin", null, Form([("strategy", "plain_email"), ("email", user.Email), ("password", user.Password),
            .. pass is null ? Array.Empty<(string, string)>() : [("challenge_token", pass)]]));

    [Fact]
    public async Task A_solved_challenge_redeems_for_a_pass_that_signs_in()
    {
        var user = await _system.SignUpAsync();

        var challenge = await ChallengeAsync();
        Assert.Equal(["challenge", "token", "expires"], challenge.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal((3, 32, 2), (challenge.GetProperty("challenge").GetProperty("c").GetInt32(), challenge.GetProperty("challenge").GetProperty("s").GetInt32(),
            challenge.GetProperty("challenge").GetProperty("d").GetInt32()));
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(challenge.GetProperty("expires").GetInt64()), app.Clock.GetUtcNow(), app.Clock.GetUtcNow().AddMinutes(11));
        var redeemed = await RedeemAsync(challenge.GetProperty("token").GetString()!, CapSolver.Solve(challenge));
        Assert.Equal(HttpStatusCode.OK, redeemed.Status);
        Assert.Equal(["success", "token", "expires"], redeemed.Json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(redeemed.Json.GetProperty("success").GetBoolean());

        (await SignInAsync(user, redeemed.Json.GetProperty("token").GetString())).AssertOk();
    }

    [Fact]
    public async Task A_challenge_redeems_once_and_a_pass_works_for_its_uses_only()
    {
        var user = await _system.SignUpAsync();
        var challenge = await ChallengeAsync();
        var token = challenge.GetProperty("token").GetString()!;
        var solutions = CapSolver.Solve(challenge);
        var pass = (await RedeemAsync(token, solutions)).Json.GetProperty("token").GetString()!;

        var replay = await RedeemAsync(token, solutions);
        replay.AssertErrorWithCapFields(HttpStatusCode.BadRequest);

        (await SignInAsync(user, pass)).AssertOk();
        (await SignInAsync(user, pass)).AssertOk();
        Assert.Equal(Catalog.Text("en", "Error.CaptchaInvalid"), (await SignInAsync(user, pass)).AssertError(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Without_a_pass_the_forms_are_refused_when_one_is_required()
    {
        var user = await _system.SignUpAsync();

        Assert.Equal(Catalog.Text("en", "Error.CaptchaInvalid"), (await SignInAsync(user, null)).AssertError(HttpStatusCode.BadRequest));
        (await _wacht.PostAsync("/auth/signup", null, Form(("first_name", "A"), ("email", SystemApi.NewEmail()), ("password", SystemApi.Password))))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/signup", null, Form(("first_name", "A"), ("email", SystemApi.NewEmail()), ("password", SystemApi.Password),
            ("challenge_token", await PassAsync())))).AssertOk();
        // Localized like every Wacht error.
        Assert.Equal(Catalog.Text("zh", "Error.CaptchaInvalid"), (await _wacht.SendAsync(HttpMethod.Post, "/auth/signin", null,
            Form(("email", user.Email), ("password", user.Password)), language: "zh")).AssertError(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Wrong_forged_and_expired_ones_are_refused()
    {
        var user = await _system.SignUpAsync();
        var challenge = await ChallengeAsync();
        var token = challenge.GetProperty("token").GetString()!;
        var solutions = CapSolver.Solve(challenge);

        (await RedeemAsync(token, solutions.Select(s => s + 1))).AssertErrorWithCapFields(HttpStatusCode.BadRequest);
        (await RedeemAsync(token, solutions.Take(2))).AssertErrorWithCapFields(HttpStatusCode.BadRequest);
        (await RedeemAsync(token + "x", solutions)).AssertErrorWithCapFields(HttpStatusCode.BadRequest);
        (await _wacht.SendAsync(HttpMethod.Post, "/captcha/redeem", null, new StringContent("{not json", Encoding.UTF8, "application/json")))
            .AssertErrorWithCapFields(HttpStatusCode.BadRequest);
        (await _wacht.SendAsync(HttpMethod.Post, "/captcha/redeem", null, new StringContent("""{"token":"x","solutions":["1"]}""", Encoding.UTF8, "application/json")))
            .AssertErrorWithCapFields(HttpStatusCode.BadRequest);
        (await SignInAsync(user, "forged")).AssertError(HttpStatusCode.BadRequest);

        app.Clock.Advance(TimeSpan.FromMinutes(11));
        (await RedeemAsync(token, solutions)).AssertErrorWithCapFields(HttpStatusCode.BadRequest);
        var pass = await PassAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        (await SignInAsync(user, pass)).AssertError(HttpStatusCode.BadRequest);
    }
}

/// <summary>Solves Cap's challenges as its protocol defines them: the puzzles come from the token by Cap's seeded generator.</summary>
public static class CapSolver
{
    public static List<long> Solve(JsonElement challenge)
    {
        var token = challenge.GetProperty("token").GetString()!;
        var parameters = challenge.GetProperty("challenge");
        var (count, saltLength, difficulty) = (parameters.GetProperty("c").GetInt32(), parameters.GetProperty("s").GetInt32(), parameters.GetProperty("d").GetInt32());
        var solutions = new List<long>();
        for (var i = 1; i <= count; i++)
        {
            var salt = Prng($"{token}{i}", saltLength);
            var target = Prng($"{token}{i}d", difficulty);
            var nonce = 0L;
            while (!Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + nonce.ToString(CultureInfo.InvariantCulture))))
                .StartsWith(target, StringComparison.Ordinal))
            {
                nonce++;
            }
            solutions.Add(nonce);
        }
        return solutions;
    }

    /// <summary>FNV-1a of the seed, then 32-bit xorshift (13, 17, 5), each state as 8 hex digits, cut to the length.</summary>
    private static string Prng(string seed, int length)
    {
        var state = 2166136261u;
        foreach (var c in seed)
        {
            state = unchecked((state ^ c) * 16777619u);
        }
        var hex = new StringBuilder();
        while (hex.Length < length)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            hex.Append(state.ToString("x8", CultureInfo.InvariantCulture));
        }
        return hex.ToString(0, length);
    }
}

internal static class CapAnswers
{
    /// <summary>Wacht's error shape plus what Cap's widget reads from a failed redeem: <c>success: false</c> and <c>error</c>.</summary>
    public static void AssertErrorWithCapFields(this WachtResponse response, HttpStatusCode status)
    {
        Assert.True(status == response.Status, $"Expected HTTP {(int)status} but got {response}");
        Assert.False(response.Json.GetProperty("success").GetBoolean());
        Assert.Equal(Catalog.Text("en", "Error.CaptchaInvalid"), response.Json.GetProperty("error").GetString());
        Assert.Equal((int)status, Assert.Single(response.Json.GetProperty("errors").EnumerateArray()).GetProperty("code").GetInt32());
    }
}
