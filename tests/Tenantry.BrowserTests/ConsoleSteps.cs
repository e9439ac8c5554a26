using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using MimeKit;

namespace Tenantry.BrowserTests;

/// <summary>What a person does in the console, in English, by the labels and names a screen reader announces.</summary>
public static partial class ConsoleSteps
{
    public const string Password = "correct horse battery";

    public static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.com";

    public static async Task SignUpAsync(IPage page, string name, string email, string? returnUrl = null)
    {
        await page.GotoAsync("/console/sign-up" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        await page.GetByLabel("Display name").FillAsync(name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }

    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Creates the user's own workspace from the list page; returns its id, read from the page it lands on.</summary>
    public static async Task<string> CreateWorkspaceAsync(IPage page, string name)
    {
        await page.GotoAsync("/console");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Workspace name" }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(new Regex("/console/workspaces/ws_"));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Creating the workspace did not open it; the page shows:\n{await page.Locator("main").InnerTextAsync()}");
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        return WorkspaceId(page.Url);
    }

    /// <summary>
    /// The owner invites <paramref name="email"/> from the workspace page; the colleague opens the email's link in a
    /// fresh browser, signs up and accepts. Returns the colleague's page, on the workspace.
    /// </summary>
    public static async Task<IPage> InviteAndJoinAsync(ConsoleServer server, IPage owner, string workspaceId, string email, string name)
    {
        await owner.GotoAsync($"/console/workspaces/{workspaceId}");
        await owner.GetByRole(AriaRole.Textbox, new() { Name = "Email", Exact = true }).FillAsync(email);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Assertions.Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync(email);
        var link = AcceptLink(await InvitationEmailAsync(server, email));
        var colleague = await server.NewPageAsync();
        await colleague.GotoAsync(link);
        await colleague.GetByRole(AriaRole.Link, new() { Name = "Sign up" }).First.ClickAsync();
        await colleague.GetByLabel("Display name").FillAsync(name);
        await colleague.GetByLabel("Email").FillAsync(email);
        await colleague.GetByLabel("Password").FillAsync(Password);
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(colleague.GetByLabel("Invitation token")).Not.ToBeEmptyAsync();
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(colleague).ToHaveURLAsync(new Regex($"/console/workspaces/{workspaceId}$"));
        return colleague;
    }

    /// <summary>Opens the operator area with the operator key.</summary>
    public static async Task OpenOperatorAreaAsync(IPage page)
    {
        await page.GotoAsync("/console/admin");
        await page.GetByLabel("Operator key").FillAsync(ConsoleServer.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Outbox" })).ToBeVisibleAsync();
    }

    /// <summary>Chooses an option of a select (the component library's): opens it and clicks the option, as a person does.</summary>
    public static async Task ChooseAsync(ILocator select, string option)
    {
        await select.ClickAsync();
        await select.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    /// <summary>
    /// Ticks a checkbox (the component library's) with a click, then waits until it shows as ticked: the component sets
    /// aria-checked in its next update batch, which may come after CheckAsync has already looked.
    /// </summary>
    public static async Task TickAsync(ILocator box)
    {
        await box.ClickAsync();
        await Assertions.Expect(box).ToBeCheckedAsync();
    }

    /// <summary>Signs out with the button every page has.</summary>
    public static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");
    }

    public static string WorkspaceId(string url) => WorkspaceInUrl().Match(url).Groups[1].Value;

    /// <summary>Runs axe-core on the page; fails on any serious or critical violation, naming them.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(serious.Count == 0, $"axe-core found serious violations on {page.Url}:\n{string.Join("\n", serious)}");
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ConsoleServer.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleServer.ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>The newest invitation email to <paramref name="recipient"/> in the pickup folder, waiting for the outbox to write it.</summary>
    public static Task<MimeMessage> InvitationEmailAsync(ConsoleServer server, string recipient) => EmailAsync(server, recipient, "You are invited");

    /// <summary>The 6-digit code of a verification email.</summary>
    public static string VerificationCode(MimeMessage message) => Assert.Single(SixDigits().Matches(message.TextBody ?? "")).Value;

    /// <summary>The newest email to <paramref name="recipient"/> whose subject starts with <paramref name="subject"/>.</summary>
    public static async Task<MimeMessage> EmailAsync(ConsoleServer server, string recipient, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var messages = Directory.Exists(server.MailDirectory)
                ? Directory.GetFiles(server.MailDirectory, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))
                    .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, recipient, StringComparison.OrdinalIgnoreCase))
                        && (m.Subject ?? "").StartsWith(subject, StringComparison.Ordinal))
                    .ToList()
                : [];
            if (messages.Count > 0)
            {
                return messages[^1];
            }
            Assert.True(DateTime.UtcNow < deadline, $"No email \"{subject}...\" to {recipient} was written to the pickup folder.\n{server.LogTail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>The accept link of an invitation email.</summary>
    public static string AcceptLink(MimeMessage message) =>
        Assert.Single(AcceptLinkPattern().Matches(message.TextBody ?? "")).Value;

    [GeneratedRegex(@"/console/workspaces/(ws_[0-9a-z]+)")]
    private static partial Regex WorkspaceInUrl();

    [GeneratedRegex(@"(?<![0-9A-Za-z])[0-9]{6}(?![0-9A-Za-z])")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"http://\S+/console/invitations/\S+#token=\S+")]
    private static partial Regex AcceptLinkPattern();
}

/// <summary>The SYSTEM API as a client app sees it: what the API answers after the console changed something.</summary>
public sealed class SystemApiClient(ConsoleServer server, string accessToken)
{
    public static async Task<SystemApiClient> SignInAsync(ConsoleServer server, string email)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/web/v1/auth/sign-in")
        {
            Content = JsonContent.Create(new { email, password = ConsoleSteps.Password }),
        };
        request.Headers.Add("X-PORTAL-ACCESS-CODE", ConsoleServer.PortalCode);
        using var answer = await http.SendAsync(request);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("success").GetBoolean(), body.ToString());
        return new SystemApiClient(server, body.GetProperty("data").GetProperty("accessToken").GetString()!);
    }

    /// <summary>GET under /web/v1: the HTTP status and the envelope.</summary>
    public async Task<(int Status, JsonElement Envelope)> GetAsync(string path)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/web/v1" + path);
        request.Headers.Add("X-PORTAL-ACCESS-CODE", ConsoleServer.PortalCode);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var answer = await http.SendAsync(request);
        return ((int)answer.StatusCode, await answer.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>The caller's own user id (<c>GET /auth/me</c>).</summary>
    public async Task<string> UserIdAsync()
    {
        var (status, me) = await GetAsync("/auth/me");
        Assert.Equal(200, status);
        return me.GetProperty("data").GetProperty("userBizId").GetString()!;
    }

    /// <summary>The caller's workspaces as the SYSTEM list answers them.</summary>
    public async Task<IReadOnlyList<JsonElement>> MyWorkspacesAsync()
    {
        var (status, envelope) = await GetAsync("/system/workspaces/mine");
        Assert.Equal(200, status);
        return [.. envelope.GetProperty("data").EnumerateArray()];
    }
}
