using System.Net;
using Microsoft.EntityFrameworkCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>The server's Error (and Critical) entries written while <paramref name="work"/> ran; tests of one class run one at a time.</summary>
public static class ErrorEntries
{
    public static async Task<List<string>> DuringAsync(TenantryApp app, Func<Task> work)
    {
        var before = app.ServerLog.Entries.Count;
        await work();
        return app.ServerLog.Entries.Skip(before)
            .Where(e => e.StartsWith("Error ", StringComparison.Ordinal) || e.StartsWith("Critical ", StringComparison.Ordinal))
            .ToList();
    }
}

/// <summary>
/// Issue 13, section 8: a conflict the code expects (a duplicate role name, a unique index deciding a
/// race) is an answer, not a failure; it leaves no Error entry (EF Core's "An exception occurred in
/// the database while saving changes" with the SQL used to, at Error, once per conflict).
/// </summary>
public sealed class QuietLogTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task A_duplicate_role_name_logs_no_error()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        (await _api.CreateRoleAsync(owner, workspaceId, "Auditor", "audit.read")).AssertOk("1.0.0");

        var errors = await ErrorEntries.DuringAsync(app, async () =>
        {
            (await _api.CreateRoleAsync(owner, workspaceId, "AUDITOR", "audit.read")).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS");
            (await _api.CreateRoleAsync(owner, workspaceId, "owner")).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS");
            var other = (await _api.CreateRoleAsync(owner, workspaceId, "Reader", "workspace.read")).AssertOk("1.0.0").GetProperty("roleBizId").GetString();
            (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}/roles/{other}", new { roleName = "auditor" }, owner.AccessToken))
                .AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS");
        });

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Races_that_a_unique_index_decides_log_no_error()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        var email = SystemApi.NewEmail();
        var creator = await _api.SignUpAsync();

        List<ApiResponse> roles = [], signUps = [], workspaces = [];
        var errors = await ErrorEntries.DuringAsync(app, async () =>
        {
            roles = [.. await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _api.CreateRoleAsync(owner, workspaceId, "Racer", "audit.read")))];
            signUps = [.. await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                _api.PostAsync("/web/v1/auth/sign-up", new { email, password = SystemApi.Password, displayName = "Racer" })))];
            workspaces = [.. await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                _api.PostAsync("/web/v1/workspaces/self", new { workspaceName = $"Race {i}" }, creator.AccessToken)))];
        });

        // Each race had one winner and its losers were answered, not failed.
        Assert.Single(roles, r => r.Status == HttpStatusCode.OK);
        Assert.All(roles.Where(r => r.Status != HttpStatusCode.OK), r => r.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS"));
        Assert.Single(signUps, r => r.Status == HttpStatusCode.OK);
        Assert.All(signUps.Where(r => r.Status != HttpStatusCode.OK), r => r.AssertEnvelope(HttpStatusCode.Conflict, "AUTH.EMAIL_TAKEN"));
        Assert.Single(workspaces, r => r.Status == HttpStatusCode.OK);
        Assert.All(workspaces.Where(r => r.Status != HttpStatusCode.OK), r => r.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ALREADY_OWNS_WORKSPACE"));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}

/// <summary>A server whose database refuses one role name: a failure no code path expects.</summary>
public sealed class FailingRoleInsertApp : TenantryApp
{
    public const string Forbidden = "Explode";

    /// <summary>
    /// Installs the refusal (after the migrations created the table): a check constraint named by
    /// its message on PostgreSQL (Citus copies it to every node; it has no triggers on reference tables).
    /// </summary>
    public Task BreakRoleInsertsAsync() => WithDbAsync(db => db.Database.ExecuteSqlRawAsync(TestDatabase.IsPostgres
        ? $"""
           ALTER TABLE workspace_roles ADD CONSTRAINT "the test database refuses this role" CHECK (name <> '{Forbidden}');
           """
        : $"""
           CREATE TRIGGER refuse_role BEFORE INSERT ON workspace_roles WHEN NEW.name = '{Forbidden}'
           BEGIN SELECT RAISE(ABORT, 'the test database refuses this role'); END;
           """));
}

public sealed class UnexpectedDatabaseFailureLogTests(FailingRoleInsertApp app) : IClassFixture<FailingRoleInsertApp>
{
    [Fact]
    public async Task An_unexpected_database_failure_still_logs_an_error()
    {
        await app.BreakRoleInsertsAsync();
        var api = app.System;
        var owner = await api.SignUpAsync();
        var workspaceId = await api.CreateWorkspaceAsync(owner);

        var errors = await ErrorEntries.DuringAsync(app, async () =>
            (await api.CreateRoleAsync(owner, workspaceId, FailingRoleInsertApp.Forbidden, "audit.read")).AssertEnvelope(HttpStatusCode.InternalServerError, "5000"));

        Assert.Contains(errors, e => e.Contains("the test database refuses this role", StringComparison.Ordinal));
        // And the role was not created.
        Assert.DoesNotContain(FailingRoleInsertApp.Forbidden, (await api.RolesAsync(owner, workspaceId)).Select(r => r.GetProperty("roleName").GetString()));
    }
}
