using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tenantry.BrowserTests.ConsoleSteps;

namespace Tenantry.BrowserTests;

/// <summary>Scenario 5: another tenant's workspace id typed into the address bar shows "not found", never its name.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TenancyScenarioTests(ConsoleServer server)
{
    [Fact]
    public async Task Another_tenants_workspace_id_in_the_url_shows_not_found_and_never_its_name()
    {
        var owner = await server.NewPageAsync();
        await SignUpAsync(owner, "Owner of a secret", NewEmail("secret-owner"));
        var secretId = await CreateWorkspaceAsync(owner, "Secret Garden");

        var stranger = await server.NewPageAsync();
        var strangerEmail = NewEmail("stranger");
        await SignUpAsync(stranger, "Stranger", strangerEmail);
        await CreateWorkspaceAsync(stranger, "Stranger Things");

        foreach (var path in new[] { $"/console/workspaces/{secretId}", $"/console/workspaces/{secretId}/roles", $"/console/workspaces/{secretId}/settings", $"/console/workspaces/{secretId}/audit" })
        {
            var response = await stranger.GotoAsync(path);
            Assert.True(response!.Status == 404, $"{path} answered {response.Status}\n{string.Join("\n", server.Errors())}");
            await Expect(stranger.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
            await Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not found");
            Assert.DoesNotContain("Secret Garden", await stranger.ContentAsync(), StringComparison.Ordinal);
        }
        // A made-up id and an id of the wrong shape answer the same.
        foreach (var id in new[] { "ws_00000000000000000000000000", "not-an-id", "%3Cscript%3E" })
        {
            var response = await stranger.GotoAsync($"/console/workspaces/{id}");
            Assert.Equal(404, response!.Status);
            await Expect(stranger.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
        }
        await AssertAccessibleAsync(stranger);
        await ScreenshotAsync(stranger, "not-found");

        // The API answers the stranger the same: not found, no name.
        var api = await SystemApiClient.SignInAsync(server, strangerEmail);
        var (status, envelope) = await api.GetAsync($"/workspaces/{secretId}/members");
        Assert.Equal(404, status);
        Assert.Equal("4040", envelope.GetProperty("code").GetString());
        Assert.DoesNotContain("Secret Garden", envelope.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await api.MyWorkspacesAsync(), w => w.GetProperty("workspaceBizId").GetString() == secretId);
    }
}
