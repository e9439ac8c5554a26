using System.CommandLine;
using Microsoft.Data.Sqlite;
using Npgsql;
using Spectre.Console;
using Tenantry.Cli.Local.Seed;
using Tenantry.Data.Providers;

namespace Tenantry.Cli.Local;

/// <summary>
/// <c>migrate</c> and <c>seed</c>: they work on the database directly, with the server's settings
/// (environment variables <c>Tenantry__...</c>, <c>ConnectionStrings__Postgres</c>, or trailing
/// <c>--Tenantry:Key value</c> arguments, as the server takes them).
/// </summary>
internal static class LocalCommands
{
    public static void AddTo(RootCommand root)
    {
        var migrate = new Command("migrate", "Apply the pending database migrations and exit (the server also migrates when it starts). " +
            "Settings as for the server: Tenantry__DataDir, Tenantry__Database__Provider, ConnectionStrings__Postgres, or --Tenantry:Key value.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        migrate.SetAction(async (result, ct) => await RunAsync(result, ct, async services =>
        {
            var pending = await DatabaseMigrator.PendingMigrationsAsync(services, ct);
            await DatabaseMigrator.MigrateAsync(services, ct);
            CliOutput.Out.WriteLine(pending.Count == 0
                ? "Database schema is up to date (nothing to apply)."
                : $"Database schema is up to date ({pending.Count} migration(s) applied: {string.Join(", ", pending)}).");
            return CliExit.Ok;
        }));
        root.Subcommands.Add(migrate);

        var users = new Option<int>("--users") { Description = "Accounts to create." };
        var workspaces = new Option<int>("--workspaces") { Description = "Workspaces to create." };
        var memberships = new Option<int>("--memberships") { Description = "Workspace memberships to create (owners included)." };
        var institutions = new Option<int?>("--institutions") { Description = "Institutions (default: one per five workspaces)." };
        var randomSeed = new Option<int>("--random-seed") { Description = "Seed of the random choices, for a repeatable dataset.", DefaultValueFactory = _ => 7 };
        var tokensFile = new Option<string>("--tokens-file") { Description = "Write one valid access token per line here." };
        var sessionTokensFile = new Option<string>("--session-tokens-file") { Description = "Write one Wacht session token per line here." };
        var tokenSample = new Option<int>("--token-sample") { Description = "Users who get a session (and a token).", DefaultValueFactory = _ => 1000 };
        var tokensOnly = new Option<bool>("--tokens-only") { Description = "Reuse a seeded database: only mint fresh tokens." };
        var seed = new Command("seed", "Bulk-load a benchmark dataset into an empty database (bench/run.sh), with sessions and tokens for a sample of users. " +
            "Settings as for migrate.")
        {
            users, workspaces, memberships, institutions, randomSeed, tokensFile, sessionTokensFile, tokenSample, tokensOnly,
        };
        seed.TreatUnmatchedTokensAsErrors = false;
        seed.SetAction(async (result, ct) =>
        {
            var only = result.GetValue(tokensOnly);
            var (u, w, m) = (result.GetValue(users), result.GetValue(workspaces), result.GetValue(memberships));
            if (!only && (u <= 0 || w <= 0 || m <= 0))
            {
                CliOutput.Fail("--users, --workspaces and --memberships are required and must be positive (or use --tokens-only).");
                return CliExit.Usage;
            }
            if (result.GetValue(tokenSample) < 0 || result.GetValue(institutions) is <= 0)
            {
                CliOutput.Fail("--token-sample must not be negative and --institutions must be positive.");
                return CliExit.Usage;
            }
            var options = new SeedOptions(new SeedSizes(u, w, m, result.GetValue(institutions) ?? Math.Max(1, w / 5), result.GetValue(randomSeed)),
                result.GetValue(tokensFile), result.GetValue(sessionTokensFile), result.GetValue(tokenSample), only);
            return await RunAsync(result, ct, async services =>
            {
                var console = CliOutput.Out;
                if (!console.Profile.Capabilities.Interactive)
                {
                    var plain = new SeedProgress(console, null);
                    return await SeedCommand.RunAsync(services, options, plain, ct);
                }
                SeedProgress? progress = null;
                var code = await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        progress = new SeedProgress(console, context);
                        return await SeedCommand.RunAsync(services, options, progress, ct);
                    });
                return code;
            });
        });
        root.Subcommands.Add(seed);
    }

    /// <summary>Builds the local services from the unmatched <c>--Key value</c> arguments and runs; database failures are one line and exit 1.</summary>
    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken, Func<IServiceProvider, Task<int>> run)
    {
        var settings = result.UnmatchedTokens.ToList();
        var stray = settings.Where((t, i) => i % 2 == 0 && !t.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (stray.Count > 0 || settings.Count % 2 != 0)
        {
            CliOutput.Fail($"Unexpected argument(s): {string.Join(' ', stray.DefaultIfEmpty(settings.LastOrDefault() ?? string.Empty))}. " +
                "Settings go as pairs: --Tenantry:DataDir ./data.");
            return CliExit.Usage;
        }
        try
        {
            await using var services = LocalHost.Build(settings);
            return await run(services);
        }
        catch (CliException e)
        {
            CliOutput.Fail(e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CliOutput.Fail("Interrupted.");
            return CliExit.Interrupted;
        }
        catch (Exception e) when (e is SqliteException or NpgsqlException or InvalidOperationException or IOException or UnauthorizedAccessException
                                   || e.InnerException is SqliteException or NpgsqlException)
        {
            CliOutput.Fail($"The database failed: {(e.InnerException ?? e).Message}");
            return CliExit.Failed;
        }
    }
}
