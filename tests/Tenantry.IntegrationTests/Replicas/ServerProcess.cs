using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// A real Tenantry server in its own operating-system process, started the way an operator
/// starts one: <c>dotnet Tenantry.Server.dll --urls http://127.0.0.1:0</c> with environment
/// configuration (<c>Tenantry__...</c>, <c>ConnectionStrings__Postgres</c>), Production
/// environment, the server's own appsettings.json. The port is the kernel's choice (read from
/// the "Now listening on" log line), so parallel tests never collide. Stopped by PID: SIGTERM
/// (graceful) or SIGKILL (a crash).
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private const int MaxLogLines = 2000;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    public SystemApi System => new(CreateHttpClient());

    /// <summary>The server's console output (JSON log lines and the banner), newest last.</summary>
    public IReadOnlyCollection<string> Log => _log;

    /// <summary>The folder holding Tenantry.Server.dll: the test project references the server, so the build puts it next to the tests.</summary>
    public static string ServerDirectory => AppContext.BaseDirectory;

    /// <summary>Starts a server and waits until it listens (migrations applied, signing keys ready); throws with its log when it does not.</summary>
    public static async Task<ServerProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var server = Launch(name, settings);
        var finished = await Task.WhenAny(server._listening.Task, server._process.WaitForExitAsync(), Task.Delay(s_startTimeout));
        if (finished != server._listening.Task)
        {
            var why = server._process.HasExited ? $"exited with code {server._process.ExitCode}" : $"did not listen within {s_startTimeout.TotalSeconds:0} s";
            var log = server.LogTail();
            await server.DisposeAsync();
            throw new InvalidOperationException($"Server {name} {why}. Log tail:\n{log}");
        }
        server.BaseAddress = await server._listening.Task;
        return server;
    }

    /// <summary>Starts a server without waiting: for races between starting processes. Await <see cref="WaitAsync"/> for the outcome.</summary>
    public static ServerProcess Launch(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var dll = Path.Combine(ServerDirectory, "Tenantry.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Tenantry.Server.dll is not next to the test assembly ({ServerDirectory}); build the solution first.", dll);
        }
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = ServerDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        // Nothing of the test host's own configuration leaks into the server.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("Tenantry__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase) || key == "DOTNET_ENVIRONMENT")
            {
                start.Environment.Remove(key);
            }
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>For a <see cref="Launch"/>ed server: true once it listens, false when it exits first.</summary>
    public async Task<bool> WaitAsync()
    {
        var finished = await Task.WhenAny(_listening.Task, _process.WaitForExitAsync(), Task.Delay(s_startTimeout));
        if (finished == _listening.Task)
        {
            BaseAddress = await _listening.Task;
            return true;
        }
        return false;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _log.Enqueue(line);
        while (_log.Count > MaxLogLines && _log.TryDequeue(out _))
        {
        }
        if (!_listening.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    public HttpClient CreateHttpClient(TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) };

    public string LogTail(int lines = 80) => $"--- {Name} (pid {_process.Id}) ---\n" + string.Join("\n", _log.TakeLast(lines));

    /// <summary>Log lines at Error or Critical level (the JSON console format names the level).</summary>
    public IReadOnlyList<string> Errors() =>
        [.. _log.Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))];

    /// <summary>SIGKILL: the process dies at once, mid-request, with no chance to flush or clean up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: a graceful shutdown; SIGKILL if it has not ended after a few seconds.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(global::System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>The dotnet host that runs the tests runs the server too.</summary>
    internal static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }
        return "dotnet";
    }

    [GeneratedRegex(@"Now listening on: (http://[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();
}
