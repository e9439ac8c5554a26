using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Cli.Local.Seed;

internal sealed record SeedOptions(SeedSizes Sizes, string? TokensFile, string? SessionTokensFile, int TokenSample, bool TokensOnly);

/// <summary>
/// <c>tenantry seed</c>: bulk-loads a benchmark dataset into the configured database (same settings
/// as the server: provider, connection string, data dir), starts sessions for a random sample
/// of users and writes one valid access token per line to <c>--tokens-file</c>. With
/// <c>--tokens-only</c> it reuses a seeded database and only mints fresh tokens (they expire
/// after <c>Tenantry:Auth:AccessTokenLifetime</c>, so a cached dataset needs new ones).
/// Progress is shown per table, and a summary at the end.
/// </summary>
internal static class SeedCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, SeedOptions options, SeedProgress progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await DatabaseMigrator.MigrateAsync(services, cancellationToken);
        var existingUsers = await WithDbAsync(services, db => db.Users.CountAsync(cancellationToken));

        if (options.TokensOnly)
        {
            if (existingUsers == 0)
            {
                progress.Fail("--tokens-only needs a seeded database, and this one has no users.");
                return CliExit.Failed;
            }
        }
        else
        {
            if (existingUsers > 0)
            {
                progress.Fail($"The database already has {existingUsers} users; seed an empty database (or use --tokens-only).");
                return CliExit.Failed;
            }
            await LoadAsync(services, options, progress, cancellationToken);
            progress.Summary("loaded in", $"{clock.Elapsed.TotalSeconds:F1} s");
        }

        if (options.TokensFile is not null || options.SessionTokensFile is not null)
        {
            var (access, session) = await MintTokensAsync(services, options.TokenSample, progress, cancellationToken);
            await WriteLinesAsync(options.TokensFile, access, cancellationToken);
            await WriteLinesAsync(options.SessionTokensFile, session, cancellationToken);
            var lifetime = services.GetRequiredService<AccessTokens>().Lifetime;
            progress.Summary("tokens minted", $"{access.Count} (valid for {lifetime}, Tenantry:Auth:AccessTokenLifetime)");
        }
        progress.Finish();
        return CliExit.Ok;
    }

    private static async Task LoadAsync(IServiceProvider services, SeedOptions options, SeedProgress progress, CancellationToken cancellationToken)
    {
        var step = Stopwatch.StartNew();
        var plan = SeedPlan.Create(options.Sizes);
        var rows = new SeedRows(plan, DateTimeOffset.UtcNow);
        progress.Summary("planned", $"{plan.Sizes.Describe()} in {step.Elapsed.TotalSeconds:F1} s");
        var passwordHash = services.GetRequiredService<Passwords>().Hash(SeedRows.Password);

        await using (var sink = await OpenSinkAsync(services, cancellationToken))
        {
            var sizes = plan.Sizes;
            await WriteAsync(sink, SeedRows.Users, rows.UserRows(passwordHash), sizes.Users, progress, cancellationToken);
            await WriteAsync(sink, SeedRows.Institutions, rows.InstitutionRows(), sizes.Institutions, progress, cancellationToken);
            await WriteAsync(sink, SeedRows.Workspaces, rows.WorkspaceRows(), sizes.Workspaces, progress, cancellationToken);
            await WriteAsync(sink, SeedRows.Roles, rows.RoleRows(), 2L * sizes.Workspaces, progress, cancellationToken);
            await WriteAsync(sink, SeedRows.InstitutionMemberships, rows.InstitutionMembershipRows(), null, progress, cancellationToken);
            await WriteAsync(sink, SeedRows.WorkspaceMemberships, rows.WorkspaceMembershipRows(), sizes.Memberships, progress, cancellationToken);
            await sink.CommitAsync(cancellationToken);
            step.Restart();
            var analyze = progress.Start("analyze", null);
            await sink.AnalyzeAsync(cancellationToken);
            analyze.Done(0, step.Elapsed);
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

    private static async Task WriteAsync(
        BulkSink sink, SeedTable table, IEnumerable<object?[]> rows, long? expected, SeedProgress progress, CancellationToken cancellationToken)
    {
        var step = Stopwatch.StartNew();
        var task = progress.Start(table.Name, expected);
        var counted = new CountingRows(rows, task);
        await sink.WriteAsync(table, counted, cancellationToken);
        task.Done(counted.Count, step.Elapsed);
    }

    private static async Task<BulkSink> OpenSinkAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<DatabaseOptions>();
        return database.Provider switch
        {
            DatabaseProvider.Postgres or DatabaseProvider.Citus => await PostgresBulkSink.OpenAsync(database.PostgresConnectionString!, cancellationToken),
            _ => await SqliteBulkSink.OpenAsync(
                DatabaseServiceCollectionExtensions.SqliteConnectionString(database, services.GetRequiredService<LocalSettings>().DataDir),
                cancellationToken),
        };
    }

    /// <summary>
    /// Per seeded session: a fresh access token, minted and signed exactly as sign-in does so the
    /// server accepts it, and a fresh session token (Wacht <c>__session</c>; only its hash is stored,
    /// so the secret is rotated here).
    /// </summary>
    private static async Task<(List<string> Access, List<string> Session)> MintTokensAsync(
        IServiceProvider services, int sample, SeedProgress progress, CancellationToken cancellationToken)
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
                progress.Summary("warning", $"only {sessions.Count} seeded sessions are live; minting that many tokens");
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

    private sealed class CountingRows(IEnumerable<object?[]> rows, SeedProgress.Step step) : IEnumerable<object?[]>
    {
        public long Count { get; private set; }

        public IEnumerator<object?[]> GetEnumerator()
        {
            foreach (var row in rows)
            {
                if (++Count % 1000 == 0)
                {
                    step.Advance(1000);
                }
                yield return row;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
