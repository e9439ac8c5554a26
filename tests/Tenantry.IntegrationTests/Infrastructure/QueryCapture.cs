using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// A server whose requests marked with <see cref="CapturedQueries.Header"/> have their SQL recorded
/// (text and, on PostgreSQL, parameter values, as sent). Subclasses choose the cache settings.
/// </summary>
public abstract class QueryCaptureApp : TenantryApp
{
    public CapturedQueries Queries { get; } = new();

    /// <summary>A client whose every request is marked.</summary>
    public HttpClient MarkedClient()
    {
        var marked = CreateHttpClient();
        marked.DefaultRequestHeaders.Add(CapturedQueries.Header, "1");
        return marked;
    }

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

    /// <summary>
    /// A command as sent: its text and, on PostgreSQL, its parameters (copies, with their database
    /// types: a jsonb value is sent as jsonb); SQLite's are not kept.
    /// </summary>
    public sealed record Query(string Sql, IReadOnlyList<NpgsqlParameter> Parameters);

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
        var parameters = command.Parameters.OfType<NpgsqlParameter>().Select(p => p.Clone()).ToList();
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
