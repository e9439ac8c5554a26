using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Console;

/// <summary>
/// The console's operator user page over HTTP: sign out everywhere, reset MFA, disable and enable are the operator
/// API's own use cases (the same account events, actor <c>operator</c>), and the ones that take something away are
/// refused (400, nothing changed) unless the confirmation box was ticked.
/// </summary>
public sealed partial class ConsoleOperatorUserTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task The_account_actions_are_the_operator_apis_and_the_destructive_ones_need_the_confirmation()
    {
        var user = await _api.SignUpAsync();
        await _api.EnableMfaAsync(user, DateTimeOffset.UtcNow);
        var console = await OperatorConsole.OpenAsync(app);
        var page = $"/console/admin/user?id={user.UserId}";

        foreach (var form in new[] { "operator-user-disable", "operator-user-sessions", "operator-user-mfa" })
        {
            var (status, alert) = await console.PostAsync(page, form, confirmed: false);
            Assert.True(status == HttpStatusCode.BadRequest, $"{form}: {(int)status} {alert}");
            Assert.Equal("The request is not valid", alert);
        }
        Assert.Empty(await EventsAsync(user));
        (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertOk();
        Assert.True((await AccountAsync(user)).GetProperty("mfaEnabled").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await console.PostAsync(page, "operator-user-sessions", confirmed: true)).Status);
        (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        Assert.Equal(HttpStatusCode.OK, (await console.PostAsync(page, "operator-user-mfa", confirmed: true)).Status);
        Assert.False((await AccountAsync(user)).GetProperty("mfaEnabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await console.PostAsync(page, "operator-user-disable", confirmed: true)).Status);
        Assert.Equal("DISABLED", (await AccountAsync(user)).Text("status"));
        // Enabling gives something back: no confirmation asked.
        Assert.Equal(HttpStatusCode.OK, (await console.PostAsync(page, "operator-user-enable", confirmed: false)).Status);
        Assert.Equal("ACTIVE", (await AccountAsync(user)).Text("status"));

        var events = await EventsAsync(user);
        Assert.Equal(["account.enabled", "account.disabled", "mfa.reset", "sessions.revoked"], events.Select(e => e.Text("action")));
        Assert.All(events, e =>
        {
            Assert.Equal("operator", e.Text("actor"));
            Assert.Equal(JsonValueKind.Null, e.GetProperty("actorUserBizId").ValueKind);
        });
    }

    [Fact]
    public async Task An_unknown_user_is_not_found_and_offers_no_action()
    {
        var console = await OperatorConsole.OpenAsync(app);

        const string nobody = "/console/admin/user?id=usr_00000000000000000000000000";

        Assert.Equal(HttpStatusCode.NotFound, await console.GetStatusAsync(nobody));
        // The page for nobody offers no form to post to.
        Assert.Equal(HttpStatusCode.BadRequest, (await console.PostAsync(nobody, "operator-user-sessions", confirmed: true)).Status);
    }

    private async Task<JsonElement> AccountAsync(TestUser user) => (await _api.AdminGetAsync($"/admin/v1/users/{user.UserId}")).AssertOk();

    private async Task<JsonElement[]> EventsAsync(TestUser user) =>
        (await _api.AdminGetAsync($"/admin/v1/users/{user.UserId}/events")).AssertOk().EnumerateArray().ToArray();

    /// <summary>A browser in the operator area: the operator cookie from the key form, and an antiforgery token for its posts.</summary>
    private sealed class OperatorConsole(TenantryApp app, string cookies, string token)
    {
        public static async Task<OperatorConsole> OpenAsync(TenantryApp app)
        {
            using var http = app.CreateHttpClient();
            using var form = await http.GetAsync("/console/admin");
            var token = Token(await form.Content.ReadAsStringAsync());
            var antiforgery = Cookie(form, "__console_af=");
            using var signIn = new HttpRequestMessage(HttpMethod.Post, "/console/admin")
            {
                Content = new FormUrlEncodedContent([new("_handler", "operator-key"), new("Key", TenantryApp.AdminKey), new("__RequestVerificationToken", token)]),
            };
            signIn.Headers.Add("Cookie", antiforgery);
            using var signedIn = await http.SendAsync(signIn);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            return new OperatorConsole(app, $"{antiforgery}; {Cookie(signedIn, "__console_operator=")}", token);
        }

        /// <summary>Posts the page's form <paramref name="handler"/>; the answer's status and its alert's text.</summary>
        public async Task<(HttpStatusCode Status, string Alert)> PostAsync(string path, string handler, bool confirmed)
        {
            using var http = app.CreateHttpClient();
            List<KeyValuePair<string, string>> fields = [new("_handler", handler), new("__RequestVerificationToken", token)];
            if (confirmed)
            {
                fields.Add(new("Confirm", "True"));
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
            request.Headers.Add("Cookie", cookies);
            using var answer = await http.SendAsync(request);
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True((int)answer.StatusCode < 500, text);
            var alert = AlertPattern().Match(text);
            return (answer.StatusCode, alert.Success ? WebUtility.HtmlDecode(alert.Groups[1].Value) : "");
        }

        public async Task<HttpStatusCode> GetStatusAsync(string path)
        {
            using var http = app.CreateHttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", cookies);
            using var answer = await http.SendAsync(request);
            return answer.StatusCode;
        }

        private static string Token(string page) => TokenPattern().Match(page).Groups[1].Value;

        private static string Cookie(HttpResponseMessage answer, string prefix) =>
            answer.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(prefix, StringComparison.Ordinal));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<p data-problem>([^<]*)</p>")]
    private static partial Regex AlertPattern();
}
