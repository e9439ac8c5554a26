using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// A throwaway PostgreSQL cluster owned by one test, which it may stop, start and freeze:
/// initdb into a temporary folder, a free loopback port, started and stopped with pg_ctl
/// (as the <c>postgres</c> user when the tests run as root, since initdb refuses root). The
/// same approach as ./test.sh; the server binaries come from <c>TENANTRY_TEST_PG_BIN</c>
/// (./test.sh sets it), else the newest /usr/lib/postgresql/*/bin, else PATH.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly IReadOnlyList<string> _settings;
    private bool _frozen;

    private PostgresCluster(string bin, string root, int port, IReadOnlyList<string> settings)
    {
        _bin = bin;
        _root = root;
        Port = port;
        _settings = settings;
    }

    public int Port { get; }

    private string DataDir => Path.Combine(_root, "data");

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Database=postgres;Pooling=false";

    /// <summary>A new cluster, started; <paramref name="settings"/> (<c>name=value</c>, no spaces) are added to the server's own.</summary>
    public static async Task<PostgresCluster> StartNewAsync(params string[] settings)
    {
        var bin = FindBinaries();
        string root;
        if (Environment.IsPrivilegedProcess)
        {
            // Under /tmp rather than $TMPDIR so that the postgres user can reach it; short, for the socket path.
            root = Directory.CreateDirectory(Path.Combine("/tmp", "tenantry-pgfault-" + Guid.NewGuid().ToString("N")[..10])).FullName;
            await RunAsync("chown", ["postgres:", root]);
        }
        else
        {
            root = Directory.CreateTempSubdirectory("tenantry-pgfault-").FullName;
        }
        var cluster = new PostgresCluster(bin, root, FreePort(), settings);
        try
        {
            await cluster.AsOwnerAsync("initdb", ["-D", cluster.DataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]);
            await cluster.StartAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Starts the cluster (again) on the same port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var options = $"-h 127.0.0.1 -p {Port} -k {_root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" +
            string.Concat(_settings.Select(setting => $" -c {setting}"));
        await AsOwnerAsync("pg_ctl", ["-D", DataDir, "-l", Path.Combine(_root, "log"), "-w", "-t", "60", "-o", options, "start"]);
    }

    /// <summary>Stops the cluster: <c>fast</c> (sessions are told and closed) or <c>immediate</c> (the processes just quit, as in a crash).</summary>
    public Task StopAsync(string mode = "fast") => AsOwnerAsync("pg_ctl", ["-D", DataDir, "-m", mode, "-w", "-t", "60", "stop"]);

    /// <summary>
    /// SIGSTOP to the postmaster and every backend: the port still accepts TCP connections but
    /// nothing answers, like a database host that hangs. <see cref="Thaw"/> undoes it.
    /// </summary>
    public void Freeze()
    {
        _frozen = true;
        Signal("-STOP");
    }

    public void Thaw()
    {
        Signal("-CONT");
        _frozen = false;
    }

    public async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private void Signal(string signal)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        Kill(signal, [postmaster]);
        if (signal != "-STOP")
        {
            Kill(signal, Children(postmaster));
            return;
        }
        // A backend the postmaster forks just before it stops is missed by a first look at its
        // children; look again until every child is stopped.
        WaitUntilStopped([postmaster]);
        for (var round = 0; round < 50; round++)
        {
            var running = Children(postmaster).Where(pid => State(pid) is not ('T' or null)).ToList();
            if (running.Count == 0)
            {
                return;
            }
            Kill(signal, running);
            WaitUntilStopped(running);
        }
        throw new InvalidOperationException("Could not stop every PostgreSQL backend.");
    }

    private static void WaitUntilStopped(IReadOnlyList<int> pids)
    {
        var deadline = Stopwatch.StartNew();
        while (pids.Any(pid => State(pid) is not ('T' or null)) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(10);
        }
    }

    /// <summary>The process state letter from /proc (T: stopped), or null when it has ended.</summary>
    private static char? State(int pid) => Stat(pid) is { } fields ? fields[0][0] : null;

    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static List<int> Children(int parent) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Stat(pid) is { } fields && fields[1] == parent.ToString(CultureInfo.InvariantCulture))];

    // Signals by PID only: the cluster's own processes, nothing else on the machine.
    private static void Kill(string signal, IReadOnlyList<int> pids)
    {
        if (pids.Count == 0)
        {
            return;
        }
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_frozen)
            {
                Thaw();
            }
            if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
            {
                await StopAsync("immediate");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // The OS temp cleaner will get it.
            }
        }
    }

    private Task AsOwnerAsync(string tool, string[] arguments) => RunAsOwnerAsync(_bin, tool, arguments, _root);

    /// <summary>
    /// <c>pg_ctl</c> on a data directory this class did not create (a Citus node started by the cluster
    /// script), as the user who owns PostgreSQL's files: <c>postgres</c> when the tests run as root.
    /// </summary>
    public static Task PgCtlAsync(params string[] arguments) => RunAsOwnerAsync(FindBinaries(), "pg_ctl", arguments, Path.GetTempPath());

    private static Task RunAsOwnerAsync(string bin, string tool, string[] arguments, string workingDirectory) => Environment.IsPrivilegedProcess
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. arguments], workingDirectory)
        : RunAsync(Path.Combine(bin, tool), arguments, workingDirectory);

    private static async Task RunAsync(string file, string[] arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinaries()
    {
        static bool Complete(string dir) => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));

        if (Environment.GetEnvironmentVariable("TENANTRY_TEST_PG_BIN") is { Length: > 0 } configured)
        {
            return Complete(configured) ? configured : throw new InvalidOperationException($"TENANTRY_TEST_PG_BIN={configured} has no initdb, pg_ctl and postgres.");
        }
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return candidates.Concat(onPath).FirstOrDefault(Complete)
            ?? throw new InvalidOperationException(
                "The database fault tests start, stop and freeze a PostgreSQL cluster of their own, and no PostgreSQL server binaries " +
                "(initdb, pg_ctl, postgres) were found under /usr/lib/postgresql/*/bin or on PATH. Install the postgresql package or " +
                "set TENANTRY_TEST_PG_BIN; ./test.sh does both for you.");
    }
}
