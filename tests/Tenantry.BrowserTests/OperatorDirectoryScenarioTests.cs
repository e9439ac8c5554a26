using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tenantry.BrowserTests.ConsoleSteps;

namespace Tenantry.BrowserTests;

/// <summary>
/// Scenario 4, continued: the operator finds a user, an institution and a workspace by search; deactivates and
/// reactivates a membership; disables and enables an institution's webhook endpoint and replays its deliveries;
/// rotates the signing key; signs a user out everywhere. Each change is checked in what the operator API then answers,
/// audit trail included.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class OperatorDirectoryScenarioTests(ConsoleServer server)
{
    [Fact]
    public async Task The_operator_searches_the_directory_and_manages_members_webhooks_and_signing_keys()
    {
        var owner = await server.NewPageAsync();
        var ownerEmail = NewEmail("directory-owner");
        await SignUpAsync(owner, "Dana Directory", ownerEmail);
        var workspaceId = await CreateWorkspaceAsync(owner, "Directory Desk");
        var admin = new OperatorApiClient(server);

        var page = await server.NewPageAsync();
        await OpenOperatorAreaAsync(page);

        // Search: the user by email, the workspace by name; both lead to their pages.
        var search = page.GetByRole(AriaRole.Search, new() { Name = "Search users, institutions and workspaces" });
        await search.GetByRole(AriaRole.Textbox, new() { Name = "ID, email, name or slug" }).FillAsync(ownerEmail);
        await search.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(page.Locator("table[data-results='users'] caption")).ToContainTextAsync("Users: 1 found");
        await Expect(page.Locator("table[data-results='users']").GetByRole(AriaRole.Link, new() { Name = "Dana Directory" })).ToBeVisibleAsync();
        await search.GetByRole(AriaRole.Textbox, new() { Name = "ID, email, name or slug" }).FillAsync("Directory Desk");
        await search.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await page.Locator("table[data-results='workspaces']").GetByRole(AriaRole.Link, new() { Name = "Directory Desk" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Directory Desk");

        // Member status: the owner's membership made inactive, then active again; each change is an operator audit event.
        var row = page.Locator($"tr[data-member='{ownerEmail}']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Deactivate the membership of Dana Directory" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync("Inactive");
        var members = await admin.GetAsync($"/workspaces/{workspaceId}/members");
        Assert.Equal("INACTIVE", Assert.Single(members.EnumerateArray()).GetProperty("status").GetString());
        await owner.GotoAsync("/console");
        await Expect(owner.GetByRole(AriaRole.Link, new() { Name = "Directory Desk" })).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Button, new() { Name = "Reactivate the membership of Dana Directory" }).ClickAsync();
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync("Active");
        var statusEvents = await admin.GetAsync($"/audit-events?workspaceBizId={workspaceId}&action=member.status_changed");
        Assert.Equal(2, statusEvents.GetArrayLength());
        Assert.All(statusEvents.EnumerateArray(), e => Assert.Equal("operator", e.GetProperty("actorUserBizId").GetString()));

        // The institution, and a webhook endpoint on it that nothing answers: its test delivery fails.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^inst_") }).ClickAsync();
        var institutionId = Assert.Single(Regex.Matches(page.Url, "inst_[0-9a-z]+")).Value;
        await Expect(page.GetByText("This institution has no webhook endpoints.")).ToBeVisibleAsync();
        var webhookUrl = $"http://127.0.0.1:{server.ClosedPort}/hooks";
        var endpoint = await admin.PostAsync($"/institutions/{institutionId}/webhooks", new { url = webhookUrl, description = "nobody listens" });
        var webhookId = endpoint.GetProperty("webhookBizId").GetString()!;
        await admin.PostAsync($"/institutions/{institutionId}/webhooks/{webhookId}/test", new { });
        await WaitForDeliveryStatusAsync(admin, institutionId, webhookId, "FAILED");

        await page.ReloadAsync();
        var webhookRow = page.Locator($"tr[data-webhook='{webhookId}']");
        await webhookRow.GetByRole(AriaRole.Button, new() { Name = $"Disable {webhookUrl}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        Assert.False((await admin.GetAsync($"/institutions/{institutionId}/webhooks/{webhookId}")).GetProperty("enabled").GetBoolean());
        await webhookRow.GetByRole(AriaRole.Button, new() { Name = $"Enable {webhookUrl}" }).ClickAsync();
        await Expect(webhookRow.GetByRole(AriaRole.Button, new() { Name = $"Disable {webhookUrl}" })).ToBeVisibleAsync();
        Assert.True((await admin.GetAsync($"/institutions/{institutionId}/webhooks/{webhookId}")).GetProperty("enabled").GetBoolean());
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "admin-institution");

        // Deliveries: replay every failed one since an hour ago, then the one delivery by its button.
        await webhookRow.GetByRole(AriaRole.Link, new() { Name = webhookUrl }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(webhookUrl);
        await Expect(page.Locator("tr[data-delivery] [data-status]")).ToHaveTextAsync("Failed");
        await page.GetByLabel("Created since (UTC)").FillAsync(DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay failed" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 failed deliveries are queued again.");
        await WaitForDeliveryStatusAsync(admin, institutionId, webhookId, "FAILED");
        var attempts = (await admin.GetAsync($"/institutions/{institutionId}/webhooks/{webhookId}/deliveries"))[0].GetProperty("attempts").GetInt32();
        Assert.True(attempts >= 2, $"the replayed delivery was attempted again ({attempts} attempts)");
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Replay webhook.test of ") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The delivery is queued again.");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "admin-webhook");

        // Signing keys: rotating publishes one more key, recorded with the operator as actor.
        var before = (await admin.GetAsync("/signing-keys")).GetArrayLength();
        await page.GotoAsync("/console/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Signing keys" }).ClickAsync();
        await Expect(page.Locator("tr[data-kid]")).ToHaveCountAsync(before);
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate signing key now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A new signing key is published.");
        await Expect(page.Locator("tr[data-kid]")).ToHaveCountAsync(before + 1);
        var keys = await admin.GetAsync("/signing-keys");
        Assert.Equal(before + 1, keys.GetArrayLength());
        var rotated = await admin.GetAsync("/audit-events?action=signing_key.rotated");
        Assert.Contains(rotated.EnumerateArray(), e => e.GetProperty("actorUserBizId").GetString() == "operator"
            && keys.EnumerateArray().Any(k => k.GetProperty("kid").GetString() == e.GetProperty("targetBizId").GetString()));
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "admin-signing-keys");

        // The account: the operator signs the owner out everywhere, after ticking the confirmation. The owner's session
        // cookie is refused by the API from then on, and the account's trail names the operator.
        var ownerSession = (await owner.Context.CookiesAsync()).Single(c => c.Name == "__session").Value;
        Assert.Equal(200, await SessionStatusAsync(ownerSession));
        await page.GotoAsync("/console/admin");
        await search.GetByRole(AriaRole.Textbox, new() { Name = "ID, email, name or slug" }).FillAsync(ownerEmail);
        await search.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await page.Locator("table[data-results='users']").GetByRole(AriaRole.Link, new() { Name = "Dana Directory" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Dana Directory");
        var userId = Assert.Single(Regex.Matches(page.Url, "usr_[0-9a-z]+")).Value;
        await Expect(page.Locator("[data-sessions]")).Not.ToHaveTextAsync("0");
        await TickAsync(page.GetByRole(AriaRole.Checkbox, new() { Name = "Yes, end every live session of this account now." }));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        await Expect(page.Locator("[data-sessions]")).ToHaveTextAsync("0");
        Assert.Equal(401, await SessionStatusAsync(ownerSession));
        var newest = (await admin.GetAsync($"/users/{userId}/events"))[0];
        Assert.Equal("sessions.revoked", newest.GetProperty("action").GetString());
        Assert.Equal("operator", newest.GetProperty("actor").GetString());
        await owner.GotoAsync("/console");
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "admin-user");
    }

    /// <summary>What the API answers the session cookie with (Wacht's <c>GET /me</c>): 200 while it is live, 401 once revoked.</summary>
    private async Task<int> SessionStatusAsync(string session)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Add("Cookie", "__session=" + session);
        using var answer = await http.SendAsync(request);
        return (int)answer.StatusCode;
    }

    private static async Task WaitForDeliveryStatusAsync(OperatorApiClient admin, string institutionId, string webhookId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var deliveries = await admin.GetAsync($"/institutions/{institutionId}/webhooks/{webhookId}/deliveries");
            if (deliveries.GetArrayLength() == 1 && deliveries[0].GetProperty("status").GetString() == status)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the delivery never became {status}: {deliveries}");
            await Task.Delay(200);
        }
    }
}

/// <summary>The operator API (<c>/admin/v1</c>, the operator key): what it answers after the console changed something.</summary>
public sealed class OperatorApiClient(ConsoleServer server)
{
    public Task<JsonElement> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonElement> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(method, "/admin/v1" + path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Admin-Key", ConsoleServer.AdminKey);
        using var answer = await http.SendAsync(request);
        var envelope = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.IsSuccessStatusCode, $"{method} {path}: {(int)answer.StatusCode} {envelope}");
        return envelope.GetProperty("data");
    }
}
