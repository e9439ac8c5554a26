using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Tenantry.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tenantry.IntegrationTests.Adversarial;

public sealed class EnumerationApp(IMessageSink diagnostics) : ReportingApp(diagnostics);

/// <summary>
/// Nothing in the sign-in answers or their headers tells whether an email has an account; their timing is
/// measured and reported (docs/SECURITY.md). Runs alone so that other classes' load does not blur the figure.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed partial class EnumerationTests(EnumerationApp app, ITestOutputHelper output) : IClassFixture<EnumerationApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> SignInAsync(string email, string password) =>
        _api.PostAsync("/web/v1/auth/sign-in", new { email, password });

    /// <summary>
    /// The whole answer: status, every header but <c>Date</c>, and the body with the envelope's
    /// <c>timestamp</c> blanked (the only parts that may differ between two identical answers).
    /// </summary>
    private static string Answer(ApiResponse response) =>
        $"{(int)response.Status}\n" +
        string.Join("\n", response.Message.Headers.Concat(response.Message.Content.Headers)
            .Where(h => h.Key != "Date").Select(h => h.Key + ": " + string.Join(";", h.Value)).Order()) +
        "\n" + Timestamp().Replace(response.Body, "\"timestamp\":0");

    [GeneratedRegex("\"timestamp\":[0-9]+")]
    private static partial Regex Timestamp();

    [Fact]
    public async Task Unknown_email_wrong_password_and_an_mfa_account_answer_identically()
    {
        var plain = await _api.SignUpAsync();
        var withMfa = await _api.SignUpAsync();
        await _api.EnableMfaAsync(withMfa, DateTimeOffset.UtcNow);

        var ghost = await SignInAsync(SystemApi.NewEmail("ghost"), "wrong password");
        var answers = new[]
        {
            Answer(ghost),
            Answer(await SignInAsync(plain.Email, "wrong password")),
            Answer(await SignInAsync(withMfa.Email, "wrong password")),
        };

        Assert.Single(answers.Distinct());
        ghost.AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        Assert.Null(ghost.Header("Set-Cookie"));
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

    /// <summary>
    /// Interleaved sign-ins with a wrong password for existing accounts and for unknown emails give
    /// the same answer every time. Their timing (the decoy hash) is measured and reported, not
    /// asserted: a bound on time would pass or fail with the machine's load, not with the code.
    /// The figure, and the command that prints it, are in docs/SECURITY.md.
    /// </summary>
    [Fact]
    public async Task Sign_in_answers_an_unknown_email_as_a_wrong_password_and_reports_their_timing()
    {
        // 21 by default; TENANTRY_TEST_TIMING_SAMPLES asks for more when the figure itself is wanted (docs/SECURITY.md).
        var samples = int.TryParse(Environment.GetEnvironmentVariable("TENANTRY_TEST_TIMING_SAMPLES"), out var wanted) && wanted > 0 ? wanted : 21;
        var known = new List<TestUser>();
        for (var i = 0; i < samples; i++)
        {
            known.Add(await _api.SignUpAsync());
        }
        // Warm-up, then interleaved samples (fresh emails each time, so no throttle or lockout is involved).
        await SignInAsync(SystemApi.NewEmail("warm"), "wrong password");
        var knownSamples = new List<(double Ms, string Answer)>();
        var unknownSamples = new List<(double Ms, string Answer)>();
        for (var i = 0; i < samples; i++)
        {
            knownSamples.Add(await TimeAsync(known[i].Email));
            unknownSamples.Add(await TimeAsync(SystemApi.NewEmail("unknown")));
        }

        var knownMedian = Median([.. knownSamples.Select(s => s.Ms)]);
        var unknownMedian = Median([.. unknownSamples.Select(s => s.Ms)]);
        var report = $"Sign-in timing over {samples} samples each ({TestDatabase.ProviderUnderTest}): wrong password median {knownMedian:F1} ms, " +
            $"unknown email median {unknownMedian:F1} ms, difference {Math.Abs(knownMedian - unknownMedian):F1} ms";
        app.Report(report);
        output.WriteLine(report);

        var answers = knownSamples.Concat(unknownSamples).Select(s => s.Answer).Distinct().ToList();
        Assert.True(answers.Count == 1, "Different answers:\n" + string.Join("\n---\n", answers));
        Assert.StartsWith("401\n", answers[0]);
    }

    private async Task<(double Ms, string Answer)> TimeAsync(string email)
    {
        var watch = Stopwatch.StartNew();
        var response = await SignInAsync(email, "wrong password");
        watch.Stop();
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        return (watch.Elapsed.TotalMilliseconds, Answer(response));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
