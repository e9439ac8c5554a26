using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Domain.Memberships;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Adversarial;

/// <summary>
/// One operation on a workspace, with <c>{id}</c> where the workspace id goes (and <c>{userBizId}</c> where a member of
/// that workspace goes), and what a non-member must get.
/// </summary>
public sealed record WorkspaceOperation(string Method, string Path, string? Body = null, HttpStatusCode Status = HttpStatusCode.NotFound, string Code = "4040")
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// Every endpoint that takes a workspace id, in both dialects. A new endpoint is one line here;
/// <see cref="CrossTenantTests.Every_endpoint_with_a_workspace_id_is_in_the_table"/> fails until it is.
/// </summary>
public static class WorkspaceOperations
{
    public static readonly WorkspaceOperation[] All =
    [
        new("GET", "/web/v1/workspaces/{id}"),
        new("PATCH", "/web/v1/workspaces/{id}", """{"workspaceName":"Pwned","policyConfig":{"ipAllowlist":["0.0.0.0/0"],"enforceMfa":false}}"""),
        new("POST", "/web/v1/tenant/workspaces/{id}/default"),
        new("POST", "/web/v1/tenant/workspaces/{id}/leave"),
        // The operator API never takes user tokens, whoever's workspace it names.
        new("PATCH", "/admin/v1/workspaces/{id}", """{"workspaceStatus":"SUSPENDED"}""", HttpStatusCode.Unauthorized, "4010"),
        new("PATCH", "/admin/v1/workspaces/{id}/members/{userBizId}", """{"status":"INACTIVE"}""", HttpStatusCode.Unauthorized, "4010"),
    ];
}

/// <summary>Workspace A (owner, member, custom role with every permission) next to workspace B of another tenant.</summary>
public sealed class CrossTenantApp : TenantryApp
{
    private Task<TwoTenants>? _tenants;

    public Task<TwoTenants> TenantsAsync() => _tenants ??= SetUpAsync();

    private async Task<TwoTenants> SetUpAsync()
    {
        var api = System;
        var ownerA = await api.SignUpAsync(SystemApi.NewEmail("owner-a"));
        var workspaceA = await api.CreateWorkspaceAsync(ownerA, "Tenant A");
        var memberA = await api.SignUpAsync(SystemApi.NewEmail("member-a"));
        await this.AddMemberAsync(workspaceA, memberA.UserId);
        var adminA = await api.SignUpAsync(SystemApi.NewEmail("admin-a"));
        await WithDbAsync(async db =>
        {
            var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceA);
            db.WorkspaceRoles.Add(WorkspaceRole.CreateCustom(workspace.InstitutionId, workspaceA, "Everything", null, Permissions.All, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        await this.AddMemberAsync(workspaceA, adminA.UserId, "Everything");

        var ownerB = await api.SignUpAsync(SystemApi.NewEmail("owner-b"));
        var workspaceB = await api.CreateWorkspaceAsync(ownerB, "Tenant B");
        var memberB = await api.SignUpAsync(SystemApi.NewEmail("member-b"));
        await this.AddMemberAsync(workspaceB, memberB.UserId);
        return new TwoTenants(workspaceA, workspaceB, ownerB, new Dictionary<string, TestUser>
        {
            [WorkspaceRole.OwnerName] = ownerA,
            [WorkspaceRole.MemberName] = memberA,
            ["Everything"] = adminA,
        });
    }
}

public sealed record TwoTenants(string WorkspaceA, string WorkspaceB, TestUser OwnerB, IReadOnlyDictionary<string, TestUser> AttackersByRole);

/// <summary>A member of workspace A, in every role, tries every workspace operation on workspace B: always 4040, and B does not change.</summary>
public sealed class CrossTenantTests(CrossTenantApp app) : IClassFixture<CrossTenantApp>
{
    private readonly SystemApi _api = app.System;

    public static IEnumerable<object[]> Attacks() =>
        from role in new[] { WorkspaceRole.OwnerName, WorkspaceRole.MemberName, "Everything" }
        from operation in WorkspaceOperations.All
        select new object[] { role, operation.ToString() };

    private static WorkspaceOperation Operation(string name) => WorkspaceOperations.All.Single(o => o.ToString() == name);

    private Task<ApiResponse> SendAsync(WorkspaceOperation operation, string workspaceId, string memberId, string token) =>
        _api.SendAsync(new HttpMethod(operation.Method),
            operation.Path.Replace("{id}", workspaceId, StringComparison.Ordinal).Replace("{userBizId}", memberId, StringComparison.Ordinal),
            operation.Body, token);

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_member_of_another_tenant_gets_4040(string role, string operationName)
    {
        var tenants = await app.TenantsAsync();
        var operation = Operation(operationName);
        var before = await SnapshotAsync(tenants.WorkspaceB);

        var response = await SendAsync(operation, tenants.WorkspaceB, tenants.OwnerB.UserId, tenants.AttackersByRole[role].AccessToken);

        response.AssertEnvelope(operation.Status, operation.Code);
        Assert.Equal(before, await SnapshotAsync(tenants.WorkspaceB));
        // B's owner still has B as it was.
        var items = await _api.ListMineAsync(tenants.OwnerB);
        Assert.Equal("Tenant B", Assert.Single(items).GetProperty("workspaceName").GetString());
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task The_same_operation_on_the_attackers_own_workspace_is_routed(string role, string operationName)
    {
        // Control: each row names a real route, so the 4040 above is the access rule and not a missing route.
        var tenants = await app.TenantsAsync();
        var operation = Operation(operationName);
        var owner = tenants.AttackersByRole[WorkspaceRole.OwnerName];
        var attacker = tenants.AttackersByRole[role];
        if (operation.Status != HttpStatusCode.NotFound)
        {
            // Refused for everyone (the operator API): the same answer on the attacker's own workspace.
            (await SendAsync(operation, tenants.WorkspaceA, attacker.UserId, attacker.AccessToken)).AssertEnvelope(operation.Status, operation.Code);
            return;
        }
        if (role != WorkspaceRole.OwnerName || operation.Path.EndsWith("/leave", StringComparison.Ordinal))
        {
            // Only the owner probes, and leaving is probed as the last owner (refused), so the scenario stays intact.
            var probe = await SendAsync(operation, tenants.WorkspaceA, owner.UserId, owner.AccessToken);
            Assert.NotEqual(HttpStatusCode.NotFound, probe.Status);
            return;
        }
        var own = await SendAsync(operation, tenants.WorkspaceA, owner.UserId, owner.AccessToken);
        Assert.True(own.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, own.ToString());
    }

    [Fact]
    public void Every_endpoint_with_a_workspace_id_is_in_the_table()
    {
        var covered = WorkspaceOperations.All.Select(o => o.ToString()).ToHashSet();
        var missing = new List<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            var parameter = pattern.Parameters.FirstOrDefault(p => p.Name.Contains("workspace", StringComparison.OrdinalIgnoreCase));
            if (parameter is null)
            {
                continue;
            }
            var path = "/" + Regex.Replace(pattern.RawText!.TrimStart('/'), @"\{" + parameter.Name + @"[^}]*\}", "{id}");
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                if (!covered.Contains($"{method} {path}"))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }
        Assert.True(missing.Count == 0, "Add these endpoints to WorkspaceOperations.All: " + string.Join(", ", missing));
    }

    private Task<string> SnapshotAsync(string workspaceId) => app.WithDbAsync(async db =>
    {
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == workspaceId);
        var members = await db.WorkspaceMemberships.AsNoTracking().Where(m => m.WorkspaceId == workspaceId)
            .OrderBy(m => m.UserId).Select(m => m.UserId + ":" + m.RoleId + ":" + m.Status + ":" + m.IsDefault).ToListAsync();
        var roles = await db.WorkspaceRoles.AsNoTracking().CountAsync(r => r.WorkspaceId == workspaceId);
        return $"{workspace.Name}|{workspace.UpdatedAt:o}|{workspace.Status}|{string.Join(",", members)}|{roles}";
    });
}
