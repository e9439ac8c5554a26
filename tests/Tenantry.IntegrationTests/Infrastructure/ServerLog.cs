using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps the server's warnings and errors (with exceptions) so a test that meets a 500 can
/// show why: <c>Assert.True(ok, string.Join("\n", app.ServerLog.Entries))</c>. A server for tests
/// about what is logged keeps every level from <see cref="Minimum"/> up (the server's own log
/// filters apply first: raise them in its settings too).
/// </summary>
public sealed class ServerLog(LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public LogLevel Minimum => minimum;

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            }
        }
    }
}
