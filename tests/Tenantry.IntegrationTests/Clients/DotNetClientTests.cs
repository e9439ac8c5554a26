using Microsoft.Extensions.DependencyInjection;
using Tenantry.Client;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Webhooks;

namespace Tenantry.IntegrationTests.Clients;

/// <summary>
/// Tenantry.Client against the real server: envelope unwrapped, errors, paging, token refresh, the operator client. The server
/// is a <see cref="WebhookApp"/> (webhook receivers on loopback allowed) for the operator client's webhook calls (DotNetClientTests.Webhooks.cs).
/// </summary>
[Trait("Part", "Clients")]
public sealed partial class DotNetClientTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private ServiceProvider Services(Action<TenantryClientOptions>? configure = null) => ClientServices.For(app, configure);

    [Fact]
    public async Task A_user_signs_up_creates_a_workspace_and_lists_it_without_the_envelope()
    {
        await using var services = Services();
        var client = services.GetRequiredService<TenantryClient>();
        var tokens = await client.SignUpAsync(SystemApi.NewEmail("sdk"), SystemApi.Password, "Sdk User");
        Assert.StartsWith("usr_", tokens.UserId, StringComparison.Ordinal);

        var detail = await client.CreateWorkspaceAsync("Sdk Labs", "SANDBOX", "Europe/Paris");
        var mine = Assert.Single(await client.ListMyWorkspacesAsync());
        Assert.Equal(detail.BizId, mine.WorkspaceBizId);
        Assert.True(mine.IsOwner);
        Assert.Equal("SANDBOX", (await client.GetWorkspaceAsync(detail.BizId)).WorkspaceKind.Code);
    }

    [Fact]
    public async Task Failures_are_TenantryApiExceptions_with_the_contract_code_and_a_localized_message()
    {
        await using var services = Services(o => o.Language = "ja");
        var client = services.GetRequiredService<TenantryClient>();
        await client.SignUpAsync(SystemApi.NewEmail("sdk"), SystemApi.Password, "Sdk User");

        var missing = await Assert.ThrowsAsync<TenantryApiException>(() => client.GetWorkspaceAsync("ws_00000000000000000000000000"));
        Assert.Equal(("4040", 404), (missing.Code, missing.StatusCode));
        Assert.True(missing.IsNotFound);
        Assert.DoesNotContain("Not found", missing.Message, StringComparison.Ordinal);

        var invalid = await Assert.ThrowsAsync<TenantryApiException>(() => client.CreateWorkspaceAsync(""));
        Assert.Equal("4000", invalid.Code);
        Assert.Contains(invalid.Fields, f => f.Field == "$.workspaceName");

        await client.CreateWorkspaceAsync("First");
        var taken = await Assert.ThrowsAsync<TenantryApiException>(() => client.CreateWorkspaceAsync("Second"));
        Assert.Equal(("WORKSPACE.ALREADY_OWNS_WORKSPACE", 409), (taken.Code, taken.StatusCode));
    }

    [Fact]
    public async Task Members_are_paged_over_X_Total_Count_as_an_async_stream()
    {
        await using var services = Services();
        var client = services.GetRequiredService<TenantryClient>();
        await client.SignUpAsync(SystemApi.NewEmail("sdk"), SystemApi.Password, "Owner");
        var workspace = await client.CreateWorkspaceAsync("Paged");
        for (var i = 0; i < 4; i++)
        {
            var member = await app.System.SignUpAsync();
            await app.AddMemberAsync(workspace.BizId, member.UserId);
        }

        var page = await client.GetMembersPageAsync(workspace.BizId, 2, pageSize: 2);
        Assert.Equal((5, 2, true), (page.Total, page.Items.Count, page.HasMore));
        var all = new List<string>();
        await foreach (var member in client.ListMembersAsync(workspace.BizId, pageSize: 2))
        {
            all.Add(member.UserBizId);
        }
        Assert.Equal(5, all.Distinct().Count());

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.ListMembersAsync(workspace.BizId, cancellationToken: cancelled.Token))
            {
            }
        });
    }

    [Fact]
    public async Task An_expired_or_refused_access_token_is_refreshed_once_for_concurrent_requests()
    {
        // Every access token counts as about to expire, so every request refreshes: concurrent requests must share
        // one refresh at a time, or two would spend the same single-use refresh token and the session would be revoked.
        await using var services = Services(o => o.RefreshBeforeExpiry = TimeSpan.FromHours(1));
        var client = services.GetRequiredService<TenantryClient>();
        var first = await client.SignUpAsync(SystemApi.NewEmail("sdk"), SystemApi.Password, "Refresher");
        await client.CreateWorkspaceAsync("Refreshed");

        var lists = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.ListMyWorkspacesAsync()));
        Assert.All(lists, l => Assert.Single(l));
        var now = (await client.GetTokensAsync())!;
        Assert.NotEqual(first.RefreshToken, now.RefreshToken);
        Assert.Equal(first.SessionId, now.SessionId);
        (await app.System.GetAsync("/web/v1/system/workspaces/mine", now.AccessToken)).AssertOk();

        // A refused access token (401) with a live refresh token: refreshed and retried once.
        await using var other = Services();
        var reactive = other.GetRequiredService<TenantryClient>();
        await reactive.UseTokensAsync(now with { AccessToken = "not-a-token", AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
        Assert.Single(await reactive.ListMyWorkspacesAsync());

        // After sign-out the session is gone: no refresh can bring it back.
        await reactive.SignOutAsync();
        Assert.Null(await reactive.GetTokensAsync());
        var refused = await Assert.ThrowsAsync<TenantryApiException>(() => reactive.ListMyWorkspacesAsync());
        Assert.Equal("4010", refused.Code);
    }

    [Fact]
    public async Task The_admin_client_searches_pages_and_disables()
    {
        await using var services = Services();
        var admin = services.GetRequiredService<TenantryAdminClient>();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var users = new List<TestUser>();
        for (var i = 0; i < 3; i++)
        {
            users.Add(await app.System.SignUpAsync(SystemApi.NewEmail("adm" + tag)));
        }
        var found = new List<string>();
        await foreach (var user in admin.ListUsersAsync("adm" + tag, pageSize: 2))
        {
            found.Add(user.UserBizId);
        }
        Assert.Equal(users.Select(u => u.UserId).Reverse(), found);
        Assert.Equal("DISABLED", (await admin.DisableUserAsync(users[0].UserId)).Status);
        var missing = await Assert.ThrowsAsync<TenantryApiException>(() => admin.GetUserAsync("usr_00000000000000000000000000"));
        Assert.True(missing.IsNotFound);
    }
}
