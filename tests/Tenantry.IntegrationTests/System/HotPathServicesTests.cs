using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Application.Workspaces.Access;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.Server.Security;

namespace Tenantry.IntegrationTests.System;

/// <summary>A server that counts how often a request builds the workspace access check (which leases a database context).</summary>
public sealed class AccessCountingApp : TenantryApp
{
    private int _accessChecksBuilt;

    public int AccessChecksBuilt => Volatile.Read(ref _accessChecksBuilt);

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddScoped(provider =>
        {
            Interlocked.Increment(ref _accessChecksBuilt);
            return ActivatorUtilities.CreateInstance<WorkspaceAccess>(provider);
        });
}

/// <summary>
/// What an authorized request builds: the hot path pays for no service it does not use.
/// ASP.NET Core builds every authorization handler for every authorized request, so a handler
/// that held the workspace access check leased a database context on each "list my workspaces".
/// </summary>
public sealed class HotPathServicesTests(AccessCountingApp app) : IClassFixture<AccessCountingApp>
{
    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task Listing_my_workspaces_builds_no_workspace_access_check_and_a_workspace_request_builds_one()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        await _api.ListMineAsync(owner);

        var before = app.AccessChecksBuilt;
        for (var i = 0; i < 3; i++)
        {
            Assert.Single(await _api.ListMineAsync(owner));
        }
        Assert.Equal(before, app.AccessChecksBuilt);

        // A workspace endpoint still checks the caller's standing, with the request's own access check.
        (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}", owner.AccessToken)).AssertOk("1.3.0");
        Assert.Equal(before + 1, app.AccessChecksBuilt);
        var stranger = await _api.SignUpAsync();
        (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}", stranger.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Equal(before + 2, app.AccessChecksBuilt);
    }

    [Fact]
    public void The_authorization_services_are_ASP_NET_Cores_own_one_instance_for_all_requests()
    {
        var registeredByAspNetCore = new ServiceCollection().AddAuthorization();
        using var first = app.Services.CreateScope();
        using var second = app.Services.CreateScope();
        foreach (var service in WorkspacePolicies.StatelessAuthorizationServices)
        {
            var instance = first.ServiceProvider.GetRequiredService(service);
            Assert.Same(instance, second.ServiceProvider.GetRequiredService(service));
            // The same implementation (the authorization service's metrics included), only the lifetime differs.
            Assert.Equal(registeredByAspNetCore.Single(d => d.ServiceType == service).ImplementationType, instance.GetType());
        }
    }
}
