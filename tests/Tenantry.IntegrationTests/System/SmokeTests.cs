using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

public sealed class SmokeTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    [Fact]
    public async Task Sign_up_create_and_list_over_real_http()
    {
        var api = app.System;
        var user = await api.SignUpAsync();
        var workspaceId = await api.CreateWorkspaceAsync(user, "Ada Labs");
        var items = await api.ListMineAsync(user);
        Assert.Equal(workspaceId, Assert.Single(items).GetProperty("workspaceBizId").GetString());
        var health = await api.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
