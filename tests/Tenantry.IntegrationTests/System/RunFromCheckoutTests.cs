using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Tenantry.IntegrationTests.Replicas;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// README "Run it", run as a new user runs it: <c>dotnet run --project src/Tenantry.Server</c>
/// (with the launch profile, as that command uses it) keeps its SQLite database in <c>./data</c>
/// under the folder it is run from, and an operator's <c>Tenantry__DataDir</c> wins. Each test
/// starts the real command in a fresh folder (never the checkout, whose <c>./data</c> is the
/// developer's), reads the database path from the banner, and stops the process tree by PID.
/// <c>--no-build</c> (the suite has built the server) and a port of the kernel's choice are the
/// only additions to the README's command. The command's database is SQLite whatever the run's
/// provider, so the PostgreSQL and Citus runs leave these out.
/// </summary>
[Trait("Requires", "Sqlite")]
public sealed class RunFromCheckoutTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Dotnet_run_keeps_the_database_in_data_under_the_folder_it_is_run_from()
    {
        var folder = Directory.CreateTempSubdirectory("tenantry-run-").FullName;
        try
        {
            var banner = await RunAsync(folder, dataDir: null);

            Assert.Contains($"Database:       SQLite, {Path.Combine(folder, "data", "tenantry.db")}", banner);
            // The launch profile still makes it a development run with its appsettings (the portal code of the walk-through).
            Assert.Contains("Dev portal access code (X-PORTAL-ACCESS-CODE): dev-portal", banner);
            // Without SMTP, a development run writes its emails as files where the developer finds them.
            Assert.Contains($"Email:          written as .eml files to {Path.Combine(folder, "data", "mail")} (no SMTP server configured)", banner);
            Assert.True(File.Exists(Path.Combine(folder, "data", "tenantry.db")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Dotnet_run_keeps_the_database_where_Tenantry__DataDir_says()
    {
        var folder = Directory.CreateTempSubdirectory("tenantry-run-").FullName;
        var dataDir = Directory.CreateTempSubdirectory("tenantry-datadir-").FullName;
        try
        {
            var banner = await RunAsync(folder, dataDir);

            Assert.Contains($"Database:       SQLite, {Path.Combine(dataDir, "tenantry.db")}", banner);
            Assert.True(File.Exists(Path.Combine(dataDir, "tenantry.db")));
            Assert.False(Directory.Exists(Path.Combine(folder, "data")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Runs the README's command in <paramref name="folder"/> until its banner is out; returns the banner lines.</summary>
    private static async Task<string> RunAsync(string folder, string? dataDir)
    {
        var start = new ProcessStartInfo(ServerProcess.DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["run", "--no-build", "-c", Configuration, "--project", ServerProject, "--", "--urls", "http://127.0.0.1:0"])
        {
            start.ArgumentList.Add(argument);
        }
        // Nothing of the test host's configuration (or of the dotnet test that started it) leaks into the run.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("Tenantry__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                || key == "DOTNET_ENVIRONMENT")
            {
                start.Environment.Remove(key);
            }
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (dataDir is not null)
        {
            start.Environment["Tenantry__DataDir"] = dataDir;
        }

        var output = new ConcurrentQueue<string>();
        var banner = new List<string>();
        var bannerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }
            output.Enqueue(line);
            lock (banner)
            {
                // The banner: from "Tenantry is listening on" to the blank line that ends it.
                if (line.StartsWith("  Tenantry is listening on ", StringComparison.Ordinal) || banner.Count > 0)
                {
                    banner.Add(line);
                    if (line.Length == 0)
                    {
                        bannerDone.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue(line);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var finished = await Task.WhenAny(bannerDone.Task, process.WaitForExitAsync(), Task.Delay(s_timeout));
            Assert.True(finished == bannerDone.Task,
                $"dotnet run in {folder} printed no banner ({(process.HasExited ? $"exited with code {process.ExitCode}" : "timed out")}):\n"
                + string.Join("\n", output.TakeLast(60)));
            lock (banner)
            {
                return string.Join("\n", banner);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                // dotnet run and the server it started, by the PID of the process this test started.
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
        }
    }

    private static string Configuration =>
        typeof(RunFromCheckoutTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The server's project in this checkout (found by name, so it does not depend on the folder layout).</summary>
    private static string ServerProject
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tenantry.slnx")))
            {
                root = root.Parent;
            }
            Assert.True(root is not null, $"No Tenantry.slnx above {AppContext.BaseDirectory}");
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
            return Assert.Single(Directory.EnumerateFiles(root.FullName, "Tenantry.Server.csproj", options));
        }
    }
}
