using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Client;

namespace Tenantry.Cli;

/// <summary>
/// Where the operator API is and its key: <c>--url</c>/<c>--admin-key</c>, else <c>TENANTRY_URL</c>/<c>TENANTRY_ADMIN_KEY</c>,
/// else the config file (<c>--config</c>, <c>TENANTRY_CONFIG</c>, or <c>~/.config/tenantry/config.json</c>:
/// <c>{"url": "...", "adminKey": "..."}</c>). The key is never printed.
/// </summary>
internal sealed record OperatorConnection(Uri Url, string AdminKey, string Source)
{
    public static string DefaultConfigPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "tenantry", "config.json");

    public static OperatorConnection Resolve(string? url, string? key, string? configPath)
    {
        var sources = new List<string>();
        url ??= Environment.GetEnvironmentVariable("TENANTRY_URL");
        key ??= Environment.GetEnvironmentVariable("TENANTRY_ADMIN_KEY");
        var path = configPath ?? Environment.GetEnvironmentVariable("TENANTRY_CONFIG") ?? DefaultConfigPath;
        if ((url is null || key is null) && File.Exists(path))
        {
            try
            {
                using var file = JsonDocument.Parse(File.ReadAllText(path));
                if (file.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CliException(CliExit.Usage, $"The config file {path} must hold a JSON object: {{\"url\": \"...\", \"adminKey\": \"...\"}}.");
                }
                url ??= file.RootElement.TryGetProperty("url", out var u) ? u.GetString() : null;
                key ??= file.RootElement.TryGetProperty("adminKey", out var k) ? k.GetString() : null;
                sources.Add(path);
            }
            catch (JsonException e)
            {
                throw new CliException(CliExit.Usage, $"The config file {path} is not valid JSON (line {e.LineNumber + 1}).");
            }
        }
        else if (configPath is not null && !File.Exists(configPath))
        {
            throw new CliException(CliExit.Usage, $"The config file {configPath} does not exist.");
        }
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new CliException(CliExit.Usage, "No server: pass --url, set TENANTRY_URL, or put \"url\" in " + path + ".");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(CliExit.Usage, $"The server URL '{url}' is not an http(s) URL.");
        }
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new CliException(CliExit.Usage, "No admin key: pass --admin-key, set TENANTRY_ADMIN_KEY, or put \"adminKey\" in " + path + ".");
        }
        return new OperatorConnection(parsed, key, sources.Count > 0 ? sources[0] : "flags or environment");
    }

    public ServiceProvider CreateServices(TimeSpan timeout)
    {
        var services = new ServiceCollection();
        services.AddTenantryAdminClient(o =>
        {
            o.BaseAddress = Url;
            o.AdminApiKey = AdminKey;
        }).ConfigureHttpClient(http => http.Timeout = timeout);
        return services.BuildServiceProvider();
    }
}
