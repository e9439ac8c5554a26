using Microsoft.Playwright;
using OtpNet;
using static Microsoft.Playwright.Assertions;
using static Tenantry.BrowserTests.ConsoleSteps;

namespace Tenantry.BrowserTests;

/// <summary>
/// Scenario 3: the user enrols by reading the secret from the QR page, signs out, signs in with a TOTP code; the owner
/// enforces MFA on the workspace and a member without MFA sees why they cannot enter.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class MfaScenarioTests(ConsoleServer server)
{
    [Fact]
    public async Task Enrol_sign_in_with_a_code_enforce_mfa_and_a_member_without_it_sees_why_they_cannot_enter()
    {
        var owner = await server.NewPageAsync();
        var ownerEmail = NewEmail("mfa-owner");
        await SignUpAsync(owner, "Mona Factor", ownerEmail);
        var workspaceId = await CreateWorkspaceAsync(owner, "Two Factor Co");
        var memberEmail = NewEmail("no-mfa");
        var member = await InviteAndJoinAsync(server, owner, workspaceId, memberEmail, "Nils Nomfa");

        await owner.GotoAsync("/console/security");
        await Expect(owner.GetByText("Multi-factor authentication is off.")).ToBeVisibleAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" })).ToBeVisibleAsync();
        var secret = (await owner.Locator("#totp-secret").InnerTextAsync()).Trim();
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await AssertAccessibleAsync(owner);
        await ScreenshotAsync(owner, "security-enrol");
        await owner.GetByLabel("Code from your authenticator app").FillAsync(totp.ComputeTotp(DateTime.UtcNow));
        await owner.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Your recovery codes" })).ToBeVisibleAsync();
        Assert.True(await owner.Locator(".recovery-codes li").CountAsync() >= 8);
        await Expect(owner.GetByText("Multi-factor authentication is on.").First).ToBeVisibleAsync();

        await SignOutAsync(owner);
        await owner.GetByLabel("Email").FillAsync(ownerEmail);
        await owner.GetByLabel("Password").FillAsync(Password);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(owner.GetByText("Your account uses multi-factor authentication.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(owner);
        await ScreenshotAsync(owner, "sign-in-mfa");
        // The next time step: the code of the current one was spent on enrolment (codes work once).
        await owner.GetByLabel("Code from your authenticator app").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await owner.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My workspaces");

        // An MFA-verified owner enforces MFA; a bad CIDR first gets a clear, localized refusal.
        await owner.GotoAsync($"/console/workspaces/{workspaceId}/settings");
        await owner.GetByLabel("IP allow-list (one address or CIDR block per line)").FillAsync("10.0.0.0/33");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save policies" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not a valid IP address or CIDR block");
        await owner.GetByLabel("IP allow-list (one address or CIDR block per line)").FillAsync("");
        await TickAsync(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Require multi-factor authentication" }));
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save policies" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("The settings were saved.");
        await Expect(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Require multi-factor authentication" })).ToBeCheckedAsync();
        await AssertAccessibleAsync(owner);
        await ScreenshotAsync(owner, "settings");

        // The member without MFA: the list says why, the workspace's page refuses with the reason.
        await member.GotoAsync("/console");
        await Expect(member.Locator($"tr[data-workspace='{workspaceId}'] .enterable"))
            .ToContainTextAsync("This workspace requires multi-factor authentication");
        var response = await member.GotoAsync($"/console/workspaces/{workspaceId}");
        Assert.Equal(403, response!.Status);
        await Expect(member.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot enter this workspace now");
        await Expect(member.GetByRole(AriaRole.Alert)).ToContainTextAsync("This workspace requires multi-factor authentication");

        // What the API answers the member: not enterable, and the workspace endpoints refuse with MFA_REQUIRED.
        var api = await SystemApiClient.SignInAsync(server, memberEmail);
        var item = Assert.Single(await api.MyWorkspacesAsync(), w => w.GetProperty("workspaceBizId").GetString() == workspaceId);
        Assert.False(item.GetProperty("enterable").GetBoolean());
        Assert.True(item.GetProperty("policyConfig").GetProperty("enforceMfa").GetBoolean());
        var (status, envelope) = await api.GetAsync($"/workspaces/{workspaceId}/members");
        Assert.Equal(403, status);
        Assert.Equal("WORKSPACE.NOT_ENTERABLE", envelope.GetProperty("code").GetString());
        Assert.Equal("MFA_REQUIRED", envelope.GetProperty("data").GetProperty("reason").GetString());

        // My sessions: the member sees this browser's session and the API's, and signs the API's out.
        await member.GotoAsync("/console/security");
        var rows = member.Locator("tr[data-session]");
        await Expect(rows).ToHaveCountAsync(2);
        var other = rows.Filter(new() { HasNot = member.GetByText("(this session)") });
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign out this session" }).ClickAsync();
        await Expect(member.GetByRole(AriaRole.Status)).ToContainTextAsync("The session was signed out.");
        await Expect(member.Locator("tr[data-session]")).ToHaveCountAsync(1);
        var (afterRevoke, _) = await api.GetAsync("/auth/me");
        Assert.Equal(401, afterRevoke);
    }
}
