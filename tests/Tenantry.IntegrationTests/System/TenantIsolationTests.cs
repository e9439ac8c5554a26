using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>Two tenants side by side: nothing of one is visible to, or changeable by, the other.</summary>
public sealed class TenantIsolationTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task Nothing_crosses_between_two_tenants()
    {
        var alice = await _api.SignUpAsync(SystemApi.NewEmail("alice"));
        var bob = await _api.SignUpAsync(SystemApi.NewEmail("bob"));
        var aliceWorkspace = await _api.CreateWorkspaceAsync(alice, "Alice Co");
        var bobWorkspace = await _api.CreateWorkspaceAsync(bob, "Bob Co");

        var aliceItems = await _api.ListMineAsync(alice);
        var bobItems = await _api.ListMineAsync(bob);
        Assert.Equal(aliceWorkspace, Assert.Single(aliceItems).GetProperty("workspaceBizId").GetString());
        Assert.Equal(bobWorkspace, Assert.Single(bobItems).GetProperty("workspaceBizId").GetString());
        Assert.NotEqual(aliceItems[0].GetProperty("institutionBizId").GetString(), bobItems[0].GetProperty("institutionBizId").GetString());

        // Alice probing Bob's workspace gets exactly what a made-up id gets: 4040, no hint that it exists.
        var probe = await _api.GetAsync($"/web/v1/workspaces/{bobWorkspace}", alice.AccessToken);
        var madeUp = await _api.GetAsync("/web/v1/workspaces/ws_00000000000000000000000000", alice.AccessToken);
        probe.AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.3.0");
        madeUp.AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.3.0");
        Assert.Equal(madeUp.MessageText, probe.MessageText);

        (await _api.PatchAsync($"/web/v1/workspaces/{bobWorkspace}", new { workspaceName = "Pwned" }, alice.AccessToken))
            .AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.3.0");
        var bobDetail = (await _api.GetAsync($"/web/v1/workspaces/{bobWorkspace}", bob.AccessToken)).AssertOk();
        Assert.Equal("Bob Co", bobDetail.GetProperty("workspaceName").GetString());
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("ws_")]
    [InlineData("%27%20OR%201%3D1--")]
    [InlineData("ws_01m8a9t56kdm2avr4tk56ncfbm%20")]
    [InlineData("WS_01M8A9T56KDM2AVR4TK56NCFBM")]
    public async Task Odd_ids_are_just_not_found(string id)
    {
        var user = await _api.SignUpAsync();
        (await _api.GetAsync($"/web/v1/workspaces/{id}", user.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }
}
