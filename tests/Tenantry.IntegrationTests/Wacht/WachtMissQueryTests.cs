using System.Text.Json;
using Tenantry.Application.Workspaces.ListMemberships;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>A server whose caches keep an entry ten minutes and which records the SQL of marked requests.</summary>
public sealed class MissCountApp : QueryCaptureApp
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Cache:MaxStaleness"] = "00:10:00";
}

/// <summary>
/// What a miss of <c>/me/workspace-memberships</c> costs the database: the snapshot is read in three
/// queries (MembershipSnapshots) whatever the number of memberships, organizations and segments. On
/// Citus each query waits on the one before it, so a miss that goes back to a query per table costs
/// several times as much (docs/BENCHMARKS.md, "Citus at 1 M").
/// </summary>
public sealed class WachtMissQueryTests(MissCountApp app) : IClassFixture<MissCountApp>
{
    [Fact]
    public async Task A_cold_list_reads_memberships_in_two_organizations_with_segments_in_three_queries()
    {
        var system = app.System;
        var user = await system.SignUpAsync();
        var own = await system.CreateWorkspaceAsync(user);
        var ownOrganization = await app.InstitutionOfAsync(own);
        await app.AddWorkspaceAsync(ownOrganization, user.UserId, "Second of the same organization");
        var colleague = await system.SignUpAsync();
        var theirs = await system.CreateWorkspaceAsync(colleague);
        var theirOrganization = await app.InstitutionOfAsync(theirs);
        await app.AddOrganizationMemberAsync(theirs, user.UserId);
        (await system.AdminPatchAsync($"/admin/v1/workspaces/{own}", new { segments = new[] { "beta", "eu" } })).AssertOk();
        (await system.AdminPatchAsync($"/admin/v1/workspaces/{theirs}", new { segments = new[] { "beta" } })).AssertOk();
        await app.AddOrganizationSegmentAsync(ownOrganization, "enterprise");
        await app.AddOrganizationSegmentAsync(theirOrganization, "startup");
        // The session's state is cached by a request that does not read the snapshot, so the Wacht
        // list below misses the snapshot alone and what it sends is the snapshot's reading.
        Assert.Equal(3, (await system.ListMineAsync(user)).Length);
        var wacht = new WachtApi(app.MarkedClient());

        app.Queries.Take();
        var items = await wacht.WorkspaceMembershipsAsync(user);
        var cold = app.Queries.Take();
        await wacht.WorkspaceMembershipsAsync(user);
        var warm = app.Queries.Take();

        Assert.Equal(3, items.Length);
        Assert.Equal(2, items.Select(i => i.GetProperty("organization_id").GetString()).Distinct().Count());
        var segments = items.SelectMany(i => i.GetProperty("workspace").GetProperty("segments").EnumerateArray()
            .Concat(i.GetProperty("organization").GetProperty("segments").EnumerateArray()))
            .Select(s => s.GetProperty("name").GetString()).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["beta", "enterprise", "eu", "startup"], segments);
        Assert.True(cold.Count == 3, $"a cold list sent {cold.Count} queries, not 3:\n\n{string.Join("\n\n", cold.Select(q => q.Sql))}");
        Assert.True(warm.Count == 0, $"a warm list sent {warm.Count} queries:\n\n{string.Join("\n\n", warm.Select(q => q.Sql))}");
    }

    /// <summary>Background refreshes read many users' snapshots at once, by key rather than by one join: the same snapshots.</summary>
    [Fact]
    public async Task A_batch_reads_each_users_snapshot_as_a_single_read_does()
    {
        var system = app.System;
        var owner = await system.SignUpAsync();
        var own = await system.CreateWorkspaceAsync(owner);
        var organization = await app.InstitutionOfAsync(own);
        await app.AddWorkspaceAsync(organization, owner.UserId, "Second");
        (await system.AdminPatchAsync($"/admin/v1/workspaces/{own}", new { segments = new[] { "beta" }, privateMetadata = new { billingId = "cus_9" } })).AssertOk();
        await app.AddOrganizationSegmentAsync(organization, "enterprise");
        var member = await system.SignUpAsync();
        await app.AddOrganizationMemberAsync(own, member.UserId);
        var outsider = await system.SignUpAsync();
        string[] userIds = [owner.UserId, member.UserId, outsider.UserId, "usr_nobody"];

        var batch = await app.WithDbAsync(db => MembershipSnapshots.LoadManyAsync(db, userIds, CancellationToken.None));

        Assert.Equal(userIds.Order(StringComparer.Ordinal), batch.Keys.Order(StringComparer.Ordinal));
        foreach (var userId in userIds)
        {
            var single = await app.WithDbAsync(db => MembershipSnapshots.LoadAsync(db, userId, CancellationToken.None));
            Assert.Equal(JsonSerializer.Serialize(single), JsonSerializer.Serialize(batch[userId]));
        }
        Assert.Equal(2, batch[owner.UserId].Memberships.Length);
        Assert.Empty(batch[outsider.UserId].Memberships);
    }
}
