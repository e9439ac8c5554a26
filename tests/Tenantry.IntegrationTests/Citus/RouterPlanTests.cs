using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Citus;

/// <summary>
/// A server on Citus whose requests marked with <see cref="CapturedQueries.Header"/> have their
/// SQL recorded (text and parameter values, as sent), caches off so that every request reads.
/// </summary>
public sealed class PlanCaptureApp : TenantryApp
{
    public CapturedQueries Queries { get; } = new();

    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Cache:MaxStaleness"] = "00:00:00";

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new MarkCapturedRequests());

    /// <summary>First in the pipeline: the request's own database commands (not background work's) are the ones recorded.</summary>
    private sealed class MarkCapturedRequests : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey(CapturedQueries.Header))
                {
                    CapturedQueries.InMarkedRequest.Value = true;
                }
                await nextMiddleware();
            });
            next(app);
        };
    }
}

/// <summary>EF Core's commands seen on its diagnostic source while a marked request runs.</summary>
public sealed class CapturedQueries : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    public const string Header = "X-Test-Capture-Queries";
    internal static readonly AsyncLocal<bool> InMarkedRequest = new();

    public sealed record Query(string Sql, IReadOnlyList<(string Name, object Value)> Parameters);

    private readonly List<Query> _queries = [];
    private readonly List<IDisposable> _subscriptions = [];

    public CapturedQueries() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    public List<Query> Take()
    {
        lock (_queries)
        {
            var taken = _queries.ToList();
            _queries.Clear();
            return taken;
        }
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != RelationalEventId.CommandExecuting.Name || !InMarkedRequest.Value || value.Value is not CommandEventData data)
        {
            return;
        }
        DbCommand command = data.Command;
        var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value)).ToList();
        lock (_queries)
        {
            _queries.Add(new Query(command.CommandText, parameters));
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted() { }
    void IObserver<DiagnosticListener>.OnError(Exception error) { }
    void IObserver<KeyValuePair<string, object?>>.OnCompleted() { }
    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error) { }
}

/// <summary>
/// The hot requests are answered by one shard group each: every query they send is a Citus router
/// plan (one task), read from the coordinator's EXPLAIN of exactly the SQL and values the server sent.
/// A query that fans out to every shard (a join on a column other than the distribution column,
/// a filter that does not name it) has as many tasks as shards, and the test names it.
/// </summary>
[Trait(CitusOnly.Trait, CitusOnly.Value)]
public sealed partial class RouterPlanTests(PlanCaptureApp app) : IClassFixture<PlanCaptureApp>
{
    [Fact]
    public async Task List_my_workspaces_in_both_dialects_and_a_workspace_endpoint_are_router_plans()
    {
        CitusOnly.Require();
        var system = app.System;
        var user = await system.SignUpAsync();
        var own = await system.CreateWorkspaceAsync(user);
        // A second institution, so that the user's rows are not all one tenant's.
        var colleague = await system.SignUpAsync();
        var theirs = await system.CreateWorkspaceAsync(colleague);
        await app.AddMemberAsync(theirs, user.UserId);

        var marked = app.CreateHttpClient();
        marked.DefaultRequestHeaders.Add(CapturedQueries.Header, "1");
        var markedSystem = new SystemApi(marked);
        var markedWacht = new WachtApi(marked);

        await AssertRouterPlansAsync("SYSTEM GET /web/v1/system/workspaces/mine", async () =>
            Assert.Equal(2, (await markedSystem.ListMineAsync(user)).Length));
        await AssertRouterPlansAsync("Wacht GET /me/workspace-memberships", async () =>
            Assert.Equal(2, (await markedWacht.WorkspaceMembershipsAsync(user)).Length));
        await AssertRouterPlansAsync("GET /web/v1/workspaces/{id}/roles (the membership check of a workspace endpoint)", async () =>
            (await markedSystem.GetAsync($"/web/v1/workspaces/{own}/roles", user.AccessToken)).AssertOk());
    }

    private async Task AssertRouterPlansAsync(string request, Func<Task> send)
    {
        app.Queries.Take();
        await send();
        var queries = app.Queries.Take();
        Assert.True(queries.Count > 0, $"{request}: no query was captured");
        await using var connection = new NpgsqlConnection(app.Database.PostgresConnectionString);
        await connection.OpenAsync();
        var fanOuts = new List<string>();
        foreach (var query in queries)
        {
            var plan = await ExplainAsync(connection, query);
            var tasks = TaskCount().Matches(plan).Select(m => int.Parse(m.Groups[1].Value, global::System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(tasks.Count > 0, $"{request}: no Citus plan for\n{query.Sql}\n{plan}");
            if (tasks.Any(t => t != 1))
            {
                fanOuts.Add($"{query.Sql}\n{plan}");
            }
        }
        Assert.True(fanOuts.Count == 0, $"{request}: {fanOuts.Count} of {queries.Count} queries are not router plans:\n\n{string.Join("\n\n", fanOuts)}");
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, CapturedQueries.Query query)
    {
        await using var command = new NpgsqlCommand("EXPLAIN " + query.Sql, connection);
        foreach (var (name, value) in query.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"Task Count: (\d+)")]
    private static partial Regex TaskCount();
}
