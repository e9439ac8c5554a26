using System.CommandLine;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Client;

namespace Tenantry.Cli;

/// <summary>The options every operator command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Url { get; } = new("--url") { Description = "The Tenantry server (else TENANTRY_URL, else the config file).", Recursive = true };

    public Option<string> AdminKey { get; } = new("--admin-key") { Description = "The operator key, X-Admin-Key (else TENANTRY_ADMIN_KEY, else the config file). Never printed.", Recursive = true };

    public Option<string> Config { get; } = new("--config") { Description = "A JSON config file {\"url\", \"adminKey\"} (else TENANTRY_CONFIG, else ~/.config/tenantry/config.json).", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts instead of tables.", Recursive = true };

    public Option<int> Timeout { get; } = new("--timeout") { Description = "Seconds to wait for the server.", Recursive = true, DefaultValueFactory = _ => 30 };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(AdminKey);
        root.Options.Add(Config);
        root.Options.Add(Json);
        root.Options.Add(Timeout);
    }
}

/// <summary>Runs an operator command: resolves the connection, maps every failure to one line and an exit code.</summary>
internal static class CliCommand
{
    public static void SetOperatorAction(this Command command, GlobalOptions global, Func<TenantryAdminClient, CliOutput, ParseResult, CancellationToken, Task<int>> run) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            string? server = null;
            try
            {
                var connection = OperatorConnection.Resolve(result.GetValue(global.Url), result.GetValue(global.AdminKey), result.GetValue(global.Config));
                server = connection.Url.ToString();
                var timeout = result.GetValue(global.Timeout);
                if (timeout <= 0)
                {
                    throw new CliException(CliExit.Usage, "--timeout must be a positive number of seconds.");
                }
                await using var services = connection.CreateServices(TimeSpan.FromSeconds(timeout));
                var client = services.GetRequiredService<TenantryAdminClient>();
                return await run(client, new CliOutput(result.GetValue(global.Json)), result, cancellationToken);
            }
            catch (Exception e)
            {
                return Report(e, server, cancellationToken);
            }
        });

    public static int Report(Exception e, string? server, CancellationToken cancellationToken)
    {
        var (code, message) = e switch
        {
            CliException cli => (cli.ExitCode, cli.Message),
            OperationCanceledException when cancellationToken.IsCancellationRequested => (CliExit.Interrupted, "Interrupted."),
            TenantryApiException { StatusCode: 401 } api =>
                (CliExit.Unauthorized, $"The server refused the admin key ({api.Code}: {api.Message}). Check --admin-key, TENANTRY_ADMIN_KEY or the config file."),
            TenantryApiException { StatusCode: 404 } api =>
                (CliExit.NotFound, $"Not found ({api.Code}: {api.Message}). If every command says this, the server has no Tenantry:AdminApiKey and its operator API is off."),
            TenantryApiException { StatusCode: 400 } api =>
                (CliExit.Usage, $"The server rejected an argument: {string.Join("; ", api.Fields.Select(f => $"{f.Field}: {f.Message}").DefaultIfEmpty(api.Message))}"),
            TenantryApiException { StatusCode: >= 500 } api => (CliExit.Unavailable, $"The server failed ({api.StatusCode} {api.Code}: {api.Message})."),
            TenantryApiException api => (CliExit.Failed, $"The server refused ({api.StatusCode} {api.Code}: {api.Message})."),
            HttpRequestException http => (CliExit.Unavailable, $"Cannot reach {server ?? "the server"}: {http.Message}"),
            TaskCanceledException or TimeoutException => (CliExit.Unavailable, $"{server ?? "The server"} did not answer in time (--timeout)."),
            _ => (CliExit.Failed, $"{e.GetType().Name}: {e.Message}"),
        };
        CliOutput.Fail(message);
        return code;
    }
}
