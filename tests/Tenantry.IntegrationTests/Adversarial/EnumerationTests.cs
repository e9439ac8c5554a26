using System.Diagnostics;
using System.Net;
using Tenantry.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tenantry.IntegrationTests.Adversarial;

public sealed class EnumerationApp(IMessageSink diagnostics) : ReportingApp(diagnostics);

/// <summary>Nothing in the sign-in answers, their headers or their timing tells whether an email has an account.</summary>
[Collection(RunsAloneCollection.Name)]
public sealed class EnumerationTests(EnumerationApp app, ITestOutputHelper output) : IClassFixture<EnumerationApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> SignInAsync(string email, string password) =>
        _api.PostAsync("/web/v1/auth/sign-in", new { email, password });

    private static string Shape(ApiResponse response) =>
        $"{(int)response.Status} {response.Code} {response.MessageText} headers: " +
        string.Join(",", response.Message.Headers.Concat(response.Message.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Content-Length")).Select(h => h.Key + "=" + string.Join(";", h.Value)).Order());

    [Fact]
    public async Task Unknown_email_wrong_password_and_an_mfa_account_answer_identically()
    {
        var plain = await _api.SignUpAsync();
        var withMfa = await _api.SignUpAsync();
        await _api.EnableMfaAsync(withMfa, DateTimeOffset.UtcNow);

        var shapes = new[]
        {
            Shape(await SignInAsync(SystemApi.NewEmail("ghost"), "wrong password")),
            Shape(await SignInAsync(plain.Email, "wrong password")),
            Shape(await SignInAsync(withMfa.Email, "wrong password")),
        };

        Assert.Single(shapes.Distinct());
        Assert.StartsWith("401 AUTH.INVALID_CREDENTIALS", shapes[0]);
        Assert.DoesNotContain("Set-Cookie", shapes[0]);
    }

    [Fact]
    public async Task Sign_up_discloses_a_taken_email_and_nothing_else_does()
    {
        var user = await _api.SignUpAsync();
        // The contract's one deliberate disclosure.
        (await _api.PostAsync("/web/v1/auth/sign-up", new { email = user.Email, password = SystemApi.Password, displayName = "Again" }))
            .AssertEnvelope(HttpStatusCode.Conflict, "AUTH.EMAIL_TAKEN");
        // A sign-up that fails validation says so the same way for a taken and a free email.
        var taken = await _api.PostAsync("/web/v1/auth/sign-up", new { email = user.Email, password = "short", displayName = "Again" });
        var free = await _api.PostAsync("/web/v1/auth/sign-up", new { email = SystemApi.NewEmail(), password = "short", displayName = "Again" });
        Assert.Equal(taken.AssertValidationError("$.password"), free.AssertValidationError("$.password"));
        Assert.Equal(taken.Data.GetRawText(), free.Data.GetRawText());
    }

    [Fact]
    public async Task Sign_in_takes_as_long_for_an_unknown_email_as_for_a_wrong_password()
    {
        const int Samples = 21;
        var known = new List<TestUser>();
        for (var i = 0; i < Samples; i++)
        {
            known.Add(await _api.SignUpAsync());
        }
        // Warm-up, then interleaved samples (fresh emails each time, so no throttle or lockout is involved).
        await SignInAsync(SystemApi.NewEmail("warm"), "wrong password");
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            knownTimes.Add(await TimeAsync(known[i].Email));
            unknownTimes.Add(await TimeAsync(SystemApi.NewEmail("unknown")));
        }

        var knownMedian = Median(knownTimes);
        var unknownMedian = Median(unknownTimes);
        var difference = Math.Abs(knownMedian - unknownMedian);
        // Without the decoy hash an unknown email would skip the password hash, which is most of a sign-in's time:
        // the difference would be close to the known median itself. Half of it is a generous noise bound.
        var bound = knownMedian / 2;
        var report = $"Sign-in timing over {Samples} samples each: wrong password median {knownMedian:F1} ms, unknown email median {unknownMedian:F1} ms, " +
            $"difference {difference:F1} ms (bound {bound:F1} ms)";
        app.Report(report);
        output.WriteLine(report);
        Assert.True(difference < bound, report);
    }

    private async Task<double> TimeAsync(string email)
    {
        var watch = Stopwatch.StartNew();
        var response = await SignInAsync(email, "wrong password");
        watch.Stop();
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
