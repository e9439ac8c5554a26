using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;
using Tenantry.Server.Configuration;

namespace Tenantry.Server.Cli.Seed;

internal sealed record SeedOptions(SeedSizes Sizes, string? TokensFile, string? SessionTokensFile, int TokenSample, bool TokensOnly);

/// <summary>
/// <c>seed</c>: bulk-loads a benchmark dataset into the configured database (same settings
/// as the server: provider, connection string, data dir), starts sessions for a random sample
/// of users and writes one valid access token per line to <c>--tokens-file</c>. With
/// <c>--tokens-only</c> it reuses a seeded database and only mints fresh tokens (they expire
/// after <c>Tenantry:Auth:AccessTokenLifetime</c>, so a cached dataset needs new ones).
/// </summary>
internal static class SeedCommand
{
    public const string Usage =
        "seed --users N --workspaces N --memberships N [--institutions N] [--random-seed N] " +
        "[--tokens-file PATH] [--session-tokens-file PATH] [--token-sample N] [--tokens-only]";

    /// <summary>Splits the seed's own options from the configuration arguments (<c>--Tenantry:...</c>) the host reads.</summary>
    public static bool TryParse(string[] args, out SeedOptions options, out string[] hostArgs, out string error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        var tokensOnly = false;
        string[] known = ["--users", "--workspaces", "--memberships", "--institutions", "--random-seed", "--tokens-file", "--session-tokens-file", "--token-sample"];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--tokens-only")
            {
                tokensOnly = true;
            }
            else if (known.Contains(args[i]) && i + 1 < args.Length)
            {
                values[args[i]] = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        hostArgs = [.. rest];
        options = null!;
        error = string.Empty;

        int Number(string name, int fallback) =>
            values.TryGetValue(name, out var text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
        try
        {
            var users = Number("--users", 0);
            var workspaces = Number("--workspaces", 0);
            var memberships = Number("--memberships", 0);
            if (!tokensOnly && (users <= 0 || workspaces <= 0 || memberships <= 0))
            {
                error = "--users, --workspaces and --memberships are required and must be positive.";
                return false;
            }
            var sizes = new SeedSizes(users, workspaces, memberships, Number("--institutions", Math.Max(1, workspaces / 5)), Number("--random-seed", 7));
            options = new SeedOptions(sizes, values.GetValueOrDefault("--tokens-file"), values.GetValueOrDefault("--session-tokens-file"),
                Number("--token-sample", 1000), tokensOnly);
            return true;
        }
        catch (FormatException)
        {
            error = "Sizes must be whole numbers.";
            return false;
        }
    }

    public static async Task<int> RunAsync(IServiceProvider services, SeedOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await DatabaseMigrator.MigrateAsync(services, cancellationToken);
        var existingUsers = await WithDbAsync(services, db => db.Users.CountAsync(cancellationToken));

        if (options.TokensOnly)
        {
            if (existingUsers == 0)
            {
                Console.Error.WriteLine("--tokens-only needs a seeded database, and this one has no users.");
                return 1;
            }
        }
        else
        {
            if (existingUsers > 0)
            {
                Console.Error.WriteLine($"The database already has {existingUsers} users; seed an empty database (or use --tokens-only).");
                return 1;
            }
            await LoadAsync(services, options, cancellationToken);
            Console.WriteLine($"Loaded in {clock.Elapsed.TotalSeconds:F1} s.");
        }

        if (options.TokensFile is not null || options.SessionTokensFile is not null)
        {
            var (access, session) = await MintTokensAsync(services, options.TokenSample, cancellationToken);
            await WriteLinesAsync(options.TokensFile, access, cancellationToken);
            await WriteLinesAsync(options.SessionTokensFile, session, cancellationToken);
            var lifetime = services.GetRequiredService<AccessTokens>().Lifetime;
            Console.WriteLine($"Minted tokens for {access.Count} sessions; access tokens are valid for {lifetime} (Tenantry:Auth:AccessTokenLifetime).");
        }
        return 0;
    }

    private static async Task LoadAsync(IServiceProvider services, SeedOptions options, CancellationToken cancellationToken)
    {
        var step = Stopwatch.StartNew();
        var plan = SeedPlan.Create(options.Sizes);
        var rows = new SeedRows(plan, DateTimeOffset.UtcNow);
        Console.WriteLine($"Planned {plan.Sizes.Describe()} in {step.Elapsed.TotalSeconds:F1} s.");
        var passwordHash = services.GetRequiredService<Passwords>().Hash(SeedRows.Password);

        await using (var sink = await OpenSinkAsync(services, cancellationToken))
        {
            await WriteAsync(sink, SeedRows.Users, rows.UserRows(passwordHash), cancellationToken);
            await WriteAsync(sink, SeedRows.Institutions, rows.InstitutionRows(), cancellationToken);
            await WriteAsync(sink, SeedRows.Workspaces, rows.WorkspaceRows(), cancellationToken);
            await WriteAsync(sink, SeedRows.Roles, rows.RoleRows(), cancellationToken);
            await WriteAsync(sink, SeedRows.InstitutionMemberships, rows.InstitutionMembershipRows(), cancellationToken);
            await WriteAsync(sink, SeedRows.WorkspaceMemberships, rows.WorkspaceMembershipRows(), cancellationToken);
            await sink.CommitAsync(cancellationToken);
            step.Restart();
            await sink.AnalyzeAsync(cancellationToken);
            Console.WriteLine($"  analyze: {step.Elapsed.TotalSeconds:F1} s");
        }

        // Sessions for a uniform sample of users: mostly light users, now and then a heavy one, as in real traffic.
        var random = new Random(options.Sizes.Seed + 2);
        var sample = Enumerable.Range(0, plan.Sizes.Users).ToArray();
        random.Shuffle(sample);
        var lifetime = services.GetRequiredService<IOptions<AuthOptions>>().Value.SessionLifetime;
        await WithDbAsync(services, async db =>
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var user in sample.Take(options.TokenSample))
            {
                db.Sessions.Add(Session.Start(EntityId.New(EntityId.Session, now), rows.UserId(user), TokenHashing.Hash(TokenHashing.NewSecret()),
                    lifetime, "127.0.0.1", SeedRows.SeedUserAgent, now));
            }
            return await db.SaveChangesAsync(cancellationToken);
        });
    }

    private static async Task WriteAsync(BulkSink sink, SeedTable table, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var step = Stopwatch.StartNew();
        var counted = new CountingRows(rows);
        await sink.WriteAsync(table, counted, cancellationToken);
        Console.WriteLine($"  {table.Name}: {counted.Count} rows in {step.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<BulkSink> OpenSinkAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<DatabaseOptions>();
        return database.Provider switch
        {
            DatabaseProvider.Postgres => await PostgresBulkSink.OpenAsync(database.PostgresConnectionString!, cancellationToken),
            _ => await SqliteBulkSink.OpenAsync(
                DatabaseServiceCollectionExtensions.SqliteConnectionString(database, services.GetRequiredService<IOptions<TenantryOptions>>().Value.ResolvedDataDir),
                cancellationToken),
        };
    }

    /// <summary>
    /// Per seeded session: a fresh access token, minted and signed exactly as sign-in does so the
    /// server accepts it, and a fresh session token (Wacht <c>__session</c>; only its hash is stored,
    /// so the secret is rotated here).
    /// </summary>
    private static async Task<(List<string> Access, List<string> Session)> MintTokensAsync(IServiceProvider services, int sample, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<SigningKeyRing>().RefreshAsync(cancellationToken);
        var tokens = services.GetRequiredService<AccessTokens>();
        var now = DateTime.UtcNow;
        return await WithDbAsync(services, async db =>
        {
            var sessions = await db.Sessions
                .Where(s => s.UserAgent == SeedRows.SeedUserAgent && s.RevokedAt == null && s.ExpiresAt > now)
                .OrderBy(s => s.Id)
                .Take(sample)
                .ToListAsync(cancellationToken);
            if (sessions.Count < sample)
            {
                Console.Error.WriteLine($"Only {sessions.Count} seeded sessions are live; minting that many tokens.");
            }
            var access = new List<string>(sessions.Count);
            var session = new List<string>(sessions.Count);
            foreach (var s in sessions)
            {
                access.Add(await tokens.IssueAsync(s.UserId, s.Id, s.IsMfaVerified, cancellationToken));
                var secret = TokenHashing.NewSecret();
                db.Entry(s).Property(x => x.TokenHash).CurrentValue = TokenHashing.Hash(secret);
                session.Add(SessionTokens.Compose(s.Id, secret));
            }
            await db.SaveChangesAsync(cancellationToken);
            return (access, session);
        });
    }

    private static async Task WriteLinesAsync(string? path, List<string> lines, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllLinesAsync(path, lines, cancellationToken);
    }

    private static async Task<T> WithDbAsync<T>(IServiceProvider services, Func<TenantryDbContext, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TenantryDbContext>());
    }

    private sealed class CountingRows(IEnumerable<object?[]> rows) : IEnumerable<object?[]>
    {
        public int Count { get; private set; }

        public IEnumerator<object?[]> GetEnumerator()
        {
            foreach (var row in rows)
            {
                Count++;
                yield return row;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
