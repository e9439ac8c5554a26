using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tenantry.Domain.Memberships;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// A server whose hot-path caches would serve an entry for ten minutes if nothing dropped it,
/// on a clock the test moves: whatever these tests see change on the next request was
/// dropped by this replica's change feed, not aged out.
/// </summary>
public sealed class LongCacheApp : TenantryApp
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Cache:MaxStaleness"] = "00:10:00";

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>Every cache on "list my workspaces" (session check, list rows) against every kind of change made through this replica.</summary>
public sealed class HotPathCacheTests(LongCacheApp app) : IClassFixture<LongCacheApp>
{
    private const string ListPath = "/web/v1/system/workspaces/mine";
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId, string InstitutionId)> CachedOwnerAsync()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        // Twice: the second answer comes from the caches.
        await _api.ListMineAsync(owner);
        var item = Assert.Single(await _api.ListMineAsync(owner));
        return (owner, workspaceId, item.GetProperty("institutionBizId").GetString()!);
    }

    [Fact]
    public async Task Sign_out_is_refused_on_the_next_request()
    {
        var (owner, _, _) = await CachedOwnerAsync();
        (await _api.PostAsync("/web/v1/auth/sign-out", token: owner.AccessToken)).AssertOk();
        (await _api.GetAsync(ListPath, owner.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }

    [Fact]
    public async Task Reusing_a_refresh_token_revokes_the_cached_session_at_once()
    {
        var (owner, _, _) = await CachedOwnerAsync();
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = owner.RefreshToken })).AssertOk();
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = owner.RefreshToken })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.GetAsync(ListPath, owner.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }

    [Fact]
    public async Task A_membership_added_directly_in_the_database_shows_on_the_next_request()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        var member = await _api.SignUpAsync();
        Assert.Empty(await _api.ListMineAsync(member));

        await app.AddMemberAsync(workspaceId, member.UserId);

        var item = Assert.Single(await _api.ListMineAsync(member));
        Assert.Equal(workspaceId, item.GetProperty("workspaceBizId").GetString());
        Assert.Single(await _api.ListMineAsync(owner));
    }

    [Fact]
    public async Task Set_default_and_leave_show_on_the_next_request()
    {
        var (owner, first, _) = await CachedOwnerAsync();
        var (other, second, _) = await CachedOwnerAsync();
        await app.AddMemberAsync(second, owner.UserId);
        Assert.Equal(2, (await _api.ListMineAsync(owner)).Length);

        (await _api.PostAsync($"/web/v1/tenant/workspaces/{second}/default", token: owner.AccessToken)).AssertOk();
        var items = await _api.ListMineAsync(owner);
        Assert.True(items.Single(i => i.GetProperty("workspaceBizId").GetString() == second).GetProperty("isDefault").GetBoolean());
        Assert.False(items.Single(i => i.GetProperty("workspaceBizId").GetString() == first).GetProperty("isDefault").GetBoolean());

        (await _api.PostAsync($"/web/v1/tenant/workspaces/{second}/leave", token: owner.AccessToken)).AssertOk();
        var remaining = Assert.Single(await _api.ListMineAsync(owner));
        Assert.Equal(first, remaining.GetProperty("workspaceBizId").GetString());
        Assert.True(remaining.GetProperty("isDefault").GetBoolean());
        Assert.Single(await _api.ListMineAsync(other));
    }

    [Fact]
    public async Task Operator_changes_to_workspace_membership_and_institution_show_on_the_next_request()
    {
        var (owner, workspaceId, institutionId) = await CachedOwnerAsync();
        var member = await _api.SignUpAsync();
        await app.AddMemberAsync(workspaceId, member.UserId);
        Assert.True(Assert.Single(await _api.ListMineAsync(member)).GetProperty("enterable").GetBoolean());

        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}/members/{member.UserId}", new { status = "INACTIVE" })).AssertOk();
        Assert.False(Assert.Single(await _api.ListMineAsync(member)).GetProperty("defaultEligible").GetBoolean());

        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        Assert.False(Assert.Single(await _api.ListMineAsync(owner)).GetProperty("defaultEligible").GetBoolean());
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "ACTIVE" })).AssertOk();
        Assert.True(Assert.Single(await _api.ListMineAsync(owner)).GetProperty("enterable").GetBoolean());

        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { enforceMfa = true })).AssertOk();
        Assert.False(Assert.Single(await _api.ListMineAsync(owner)).GetProperty("enterable").GetBoolean());
    }

    [Fact]
    public async Task Renaming_the_workspace_or_its_role_shows_on_the_next_request()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Renamed" }, owner.AccessToken)).AssertOk("1.3.0");
        Assert.Equal("Renamed", Assert.Single(await _api.ListMineAsync(owner)).GetProperty("workspaceName").GetString());

        // No endpoint renames a role yet; a tracked change through the app's own context is what one would do.
        await app.WithDbAsync(async db =>
        {
            var role = await db.WorkspaceRoles.SingleAsync(r => r.WorkspaceId == workspaceId && r.BuiltIn == BuiltInRole.Owner);
            db.Entry(role).Property(r => r.Name).CurrentValue = "Proprietor";
            await db.SaveChangesAsync();
        });
        Assert.Equal("Proprietor", Assert.Single(await _api.ListMineAsync(owner)).GetProperty("workspaceRoleName").GetString());
    }

    [Fact]
    public async Task The_per_request_answer_is_not_cached_across_client_ips()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } })).AssertOk();

        Assert.False(Assert.Single(await _api.ListMineAsync(owner, clientIp: "198.51.100.7")).GetProperty("enterable").GetBoolean());
        Assert.True(Assert.Single(await _api.ListMineAsync(owner, clientIp: "203.0.113.9")).GetProperty("enterable").GetBoolean());
        Assert.False(Assert.Single(await _api.ListMineAsync(owner, clientIp: "198.51.100.7")).GetProperty("enterable").GetBoolean());
    }

    [Fact]
    public async Task The_kept_rendering_follows_the_request_language()
    {
        var (owner, _, _) = await CachedOwnerAsync();
        foreach (var language in new[] { "ja", "en", "ja", "vi" })
        {
            var item = (await _api.GetAsync(ListPath, owner.AccessToken, language: language)).AssertOk("2.0.0")[0];
            Assert.Equal(Catalog.Text(language, "Enum.WorkspaceKind.LIVE.Label"), item.GetProperty("workspaceKind").GetProperty("label").GetString());
        }
    }

    [Fact]
    public async Task Concurrent_reads_during_a_change_do_not_put_the_old_list_back()
    {
        var (owner, _, _) = await CachedOwnerAsync();
        var (_, second, _) = await CachedOwnerAsync();
        await app.AddMemberAsync(second, owner.UserId);
        Assert.Equal(2, (await _api.ListMineAsync(owner)).Length);

        var readers = Enumerable.Range(0, 24).Select(_ => _api.GetAsync(ListPath, owner.AccessToken)).ToList();
        var leave = _api.PostAsync($"/web/v1/tenant/workspaces/{second}/leave", token: owner.AccessToken);
        await Task.WhenAll(readers.Append(leave));
        (await leave).AssertOk();

        Assert.Single(await _api.ListMineAsync(owner));
    }

    [Fact]
    public async Task Entries_past_half_the_bound_are_re_read_in_the_background_while_still_served()
    {
        var (owner, workspaceId, _) = await CachedOwnerAsync();
        var (other, _, _) = await CachedOwnerAsync();
        // Out of band (plain SQL): only a re-read can see these.
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE workspaces SET name = 'Renamed outside' WHERE id = {workspaceId}"));
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE sessions SET revoked_at = updated_at WHERE id = {other.SessionId}"));
        app.Clock.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));

        // Past the refresh point (40–60 % of the bound): answered from the entries, which are queued for a refresh.
        Assert.NotEqual("Renamed outside", Assert.Single(await _api.ListMineAsync(owner)).GetProperty("workspaceName").GetString());
        (await _api.GetAsync(ListPath, other.AccessToken)).AssertOk("2.0.0");

        // The refreshes land without the clock moving: the entries now hold what the database holds.
        await Eventually.TrueAsync(async () =>
            Assert.Single(await _api.ListMineAsync(owner)).GetProperty("workspaceName").GetString() == "Renamed outside");
        await Eventually.TrueAsync(async () => (await _api.GetAsync(ListPath, other.AccessToken)).Status == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_change_this_replica_did_not_make_is_seen_once_the_bound_has_passed()
    {
        var (owner, _, _) = await CachedOwnerAsync();
        // As another replica would: straight SQL, which this replica's change feed never hears of.
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE sessions SET revoked_at = updated_at WHERE id = {owner.SessionId}"));

        (await _api.GetAsync(ListPath, owner.AccessToken)).AssertOk("2.0.0");
        app.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        (await _api.GetAsync(ListPath, owner.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }
}

/// <summary>A server with the hot-path caches off: every request reads the database.</summary>
public sealed class NoCacheApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Cache:MaxStaleness"] = "00:00:00";
}

public sealed class NoCacheTests(NoCacheApp app) : IClassFixture<NoCacheApp>
{
    [Fact]
    public async Task With_max_staleness_zero_a_change_from_outside_shows_at_once()
    {
        var api = app.System;
        var owner = await api.SignUpAsync();
        var workspaceId = await api.CreateWorkspaceAsync(owner);
        Assert.Single(await api.ListMineAsync(owner));

        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE workspaces SET name = 'Changed outside' WHERE id = {workspaceId}"));
        Assert.Equal("Changed outside", Assert.Single(await api.ListMineAsync(owner)).GetProperty("workspaceName").GetString());

        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE sessions SET revoked_at = updated_at WHERE id = {owner.SessionId}"));
        (await api.GetAsync("/web/v1/system/workspaces/mine", owner.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }
}
