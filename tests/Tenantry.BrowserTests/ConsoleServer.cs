using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Tenantry.BrowserTests;

/// <summary>
/// One real Tenantry server for the browser tests, started as an operator would (<c>dotnet Tenantry.Server.dll</c>,
/// Production, environment configuration) on a loopback port with a fresh SQLite database and a mail pickup folder;
/// and one headless chromium (Debian's package) driven by Playwright. A missing chromium fails every test: the
/// suite never skips.
/// </summary>
public sealed class ConsoleServer : IAsyncLifetime
{
    public const string PortalCode = "browser-portal-code";
    public const string AdminKey = "browser-tests-operator-key-0123456789abcdef";

    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tenantry-browser-" + Guid.NewGuid().ToString("N"));

    public string MailDirectory => Path.Combine(DataDirectory, "mail");

    /// <summary>A loopback port nothing listens on: webhook deliveries to it fail at once.</summary>
    public int ClosedPort { get; } = FreePort();

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots of the main pages go: docs/console/ of this checkout.</summary>
    public static string ScreenshotDirectory => Path.Combine(RepositoryRoot(), "docs", "console");

    /// <summary>Debian's chromium, or the executable TENANTRY_CHROMIUM names.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("TENANTRY_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No chromium at {ChromiumPath}: the browser tests need Debian's chromium package (apt-get install -y chromium), " +
                "or TENANTRY_CHROMIUM set to a Chromium executable. Playwright's own browser download is not used.");
        }
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        StartServer(port);
        await WaitUntilServingAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI containers: chromium's sandbox needs user namespaces it may not have.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A fresh browser profile (no cookies) that asks for <paramref name="locale"/>.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1200, Height = 800 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>The server's output, for failure messages.</summary>
    public string LogTail(int lines = 60) => string.Join("\n", _log.TakeLast(lines));

    /// <summary>Log lines at Error or Critical level.</summary>
    public IReadOnlyList<string> Errors() =>
        [.. _log.Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))];

    public HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private void StartServer(int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Tenantry.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Tenantry__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Tenantry__DataDir"] = DataDirectory,
            ["Tenantry__Database__Provider"] = "Sqlite",
            ["Tenantry__PortalAccessCodes__0"] = PortalCode,
            ["Tenantry__AdminApiKey"] = AdminKey,
            ["Tenantry__Email__PickupDirectory"] = "mail",
            ["Tenantry__Outbox__PollInterval"] = "00:00:00.500",
            ["Tenantry__Auth__AuthRequestsPerIp"] = "100000",
            ["Tenantry__Auth__SignInAttemptsPerAccount"] = "100000",
            ["Tenantry__Auth__MfaRequestsPerIp"] = "100000",
            ["Tenantry__Auth__MfaAttemptsPerAccount"] = "100000",
            ["Tenantry__Auth__InvitationsPerIp"] = "100000",
            ["Tenantry__Auth__InvitationsPerAccount"] = "100000",
            ["Tenantry__Auth__PasswordHashIterations"] = "1000",
            // Webhook endpoints on loopback over http; a delivery whose first attempt fails is given up at once (FAILED).
            ["Tenantry__Webhooks__AllowPrivateNetworks"] = "true",
            ["Tenantry__Webhooks__RequireHttps"] = "false",
            ["Tenantry__Webhooks__PollInterval"] = "00:00:00.200",
            ["Tenantry__Webhooks__GiveUpAfter"] = "00:00:01",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _log.Enqueue(line);
        while (_log.Count > 2000 && _log.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = CreateHttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:\n{LogTail()}");
            }
            try
            {
                using var answer = await http.GetAsync("/console/sign-in");
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"The server did not answer within 90 s:\n{LogTail()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tenantry.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Tenantry.slnx not found above the test assembly.");
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleServer>
{
    public const string Name = "console";
}
