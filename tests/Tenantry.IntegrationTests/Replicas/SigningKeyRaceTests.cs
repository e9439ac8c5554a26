using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data.Keys;
using Tenantry.Data.Providers;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// Every replica keeps its own key ring and plans the next signing key on the same schedule,
/// so they all want to add it at about the same moment; exactly one key may come of it. Six
/// rings (six "replicas", each with its own connection pool) refresh at once, many times.
/// </summary>
public sealed class SigningKeyRaceTests
{
    private static readonly AuthOptions s_auth = new();

    // One key ring for the secrets, as replicas share theirs through the database.
    private readonly Application.Security.SecretsAtRest _secrets =
        new(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());

    [Fact]
    public async Task Replicas_refreshing_at_once_add_one_first_key_and_one_successor()
    {
        await using var database = await TestDatabase.CreateAsync();
        var providers = Enumerable.Range(0, 6).Select(_ => DirectDatabase.Services(database)).ToList();
        try
        {
            await DatabaseMigrator.MigrateAsync(providers[0], CancellationToken.None);
            await using var db = new DirectDatabase(database);
            var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (var round = 0; round < 5; round++)
            {
                await db.WithDbAsync(ctx => ctx.SigningKeys.ExecuteDeleteAsync());
                var clock = new FakeTimeProvider(now);

                // An empty ring: every replica wants a key that signs at once.
                await RefreshAllAsync(providers, clock);
                var first = Assert.Single(await KeysAsync(db));

                // Close to its retirement: every replica wants the successor.
                clock.SetUtcNow(new DateTimeOffset(first.RetiresAt, TimeSpan.Zero) - s_auth.SigningKeyPublishLead);
                await RefreshAllAsync(providers, clock);
                var keys = await KeysAsync(db);
                Assert.Equal(2, keys.Count);
                Assert.Equal(first.RetiresAt, keys[1].ActivatesAt);
            }
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }
    }

    private async Task RefreshAllAsync(List<ServiceProvider> providers, TimeProvider clock)
    {
        var rings = providers.Select(p => new SigningKeyRing(
            p.GetRequiredService<IServiceScopeFactory>(), clock, Options.Create(s_auth), _secrets, NullLogger<SigningKeyRing>.Instance)).ToList();
        using var start = new ManualResetEventSlim();
        var refreshes = rings.Select(ring => Task.Run(async () =>
        {
            start.Wait();
            await ring.RefreshAsync(CancellationToken.None);
        })).ToList();
        start.Set();
        await Task.WhenAll(refreshes);
    }

    private static Task<List<SigningKey>> KeysAsync(DirectDatabase db) =>
        db.WithDbAsync(ctx => ctx.SigningKeys.AsNoTracking().OrderBy(k => k.ActivatesAt).ToListAsync());
}
