using System.Diagnostics;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Webhooks;

namespace Tenantry.IntegrationTests.Cli;

/// <summary>
/// The tenantry CLI, run as a process (the built tool) against the real server. The server is a <see cref="WebhookApp"/>
/// (webhook receivers on loopback allowed, fast retries) so that the webhook commands run on the same server (CliTests.Webhooks.cs).
/// </summary>
[Trait("Part", "Clients")]
public sealed partial class CliTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private sealed record Run(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
    }

    private static string ToolPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(Catalog.RepositoryRoot(), "src", "Tenantry.Cli", "bin", configuration, "net10.0", "tenantry.dll");
        Assert.True(File.Exists(path), $"The CLI is not built at {path}");
        return path;
    }

    private async Task<Run> TenantryAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null, bool connect = true)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ToolPath());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["TENANTRY_CONFIG"] = Path.Combine(Path.GetTempPath(), "no-such-tenantry-config.json");
        start.Environment.Remove("TENANTRY_URL");
        start.Environment.Remove("TENANTRY_ADMIN_KEY");
        if (connect)
        {
            start.Environment["TENANTRY_URL"] = app.BaseAddress.ToString();
            start.Environment["TENANTRY_ADMIN_KEY"] = TenantryApp.AdminKey;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return new Run(process.ExitCode, await output, await error);
    }

    private Task<Run> TenantryAsync(params string[] args) => TenantryAsync(args, null);

    private static void AssertNoStackTrace(Run run)
    {
        Assert.DoesNotContain("   at ", run.Out + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_are_found_disabled_enabled_and_vouched_for_with_their_events_as_json_for_scripts()
    {
        var user = await app.System.SignUpAsync(SystemApi.NewEmail("cli"));

        var found = await TenantryAsync("users", "find", user.Email, "--json");
        Assert.True(found.ExitCode == 0, found.ToString());
        var json = JsonDocument.Parse(found.Out).RootElement;
        Assert.Equal(1, json.GetProperty("total").GetInt32());
        Assert.Equal(user.UserId, json.GetProperty("items")[0].GetProperty("userBizId").GetString());
        Assert.False(json.GetProperty("items")[0].GetProperty("emailVerified").GetBoolean());

        var disabled = await TenantryAsync("users", "disable", user.UserId);
        Assert.True(disabled.ExitCode == 0, disabled.ToString());
        Assert.Contains("DISABLED", disabled.Out, StringComparison.Ordinal);
        Assert.Contains(user.Email, disabled.Out, StringComparison.Ordinal);
        (await app.System.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertEnvelope(global::System.Net.HttpStatusCode.Unauthorized, "4010");
        Assert.Equal(0, (await TenantryAsync("users", "enable", user.UserId)).ExitCode);

        var verified = await TenantryAsync("users", "verify-email", user.UserId, "--json");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.True(JsonDocument.Parse(verified.Out).RootElement.GetProperty("emailVerified").GetBoolean());
        var signedIn = (await app.System.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertOk();
        Assert.True((await app.System.GetAsync("/web/v1/auth/me", signedIn.Text("accessToken"))).AssertOk().GetProperty("emailVerified").GetBoolean());

        var trail = await TenantryAsync("users", "events", user.UserId, "--json");
        Assert.True(trail.ExitCode == 0, trail.ToString());
        var events = JsonDocument.Parse(trail.Out).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["email.verified", "account.enabled", "account.disabled"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e => Assert.Equal("operator", e.GetProperty("actor").GetString()));
        Assert.DoesNotContain(TenantryApp.AdminKey, found.Out + found.Error + disabled.Out + verified.Out + trail.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workspaces_and_institutions_are_listed_suspended_and_resumed_and_members_listed()
    {
        var owner = await app.System.SignUpAsync();
        var name = "Cli " + Guid.NewGuid().ToString("N")[..8];
        var workspaceId = await app.System.CreateWorkspaceAsync(owner, name);
        var institutionId = Assert.Single(await app.System.ListMineAsync(owner)).Text("institutionBizId");

        var listed = await TenantryAsync("workspaces", "list", name, "--json");
        Assert.Equal(workspaceId, JsonDocument.Parse(listed.Out).RootElement.GetProperty("items")[0].GetProperty("bizId").GetString());
        Assert.Equal(0, (await TenantryAsync("workspaces", "suspend", workspaceId)).ExitCode);
        Assert.False(Assert.Single(await app.System.ListMineAsync(owner)).GetProperty("enterable").GetBoolean());
        (await app.System.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "ACTIVE" })).AssertOk();
        var policy = await TenantryAsync("workspaces", "set-policy", workspaceId, "--ip-allow", "203.0.113.0/24", "--json");
        Assert.Equal("203.0.113.0/24", JsonDocument.Parse(policy.Out).RootElement.GetProperty("policyConfig").GetProperty("ipAllowlist")[0].GetString());

        var suspended = await TenantryAsync("institutions", "suspend", institutionId);
        Assert.True(suspended.ExitCode == 0, suspended.ToString());
        Assert.Contains("1 of 1", suspended.Out, StringComparison.Ordinal);
        // The policy above keeps this client IP out, so suspension shows in defaultEligible rather than enterable.
        Assert.False(Assert.Single(await app.System.ListMineAsync(owner)).GetProperty("defaultEligible").GetBoolean());
        Assert.Equal(0, (await TenantryAsync("institutions", "resume", institutionId)).ExitCode);
        Assert.True(Assert.Single(await app.System.ListMineAsync(owner)).GetProperty("defaultEligible").GetBoolean());

        var members = await TenantryAsync("members", "list", workspaceId);
        Assert.Contains(owner.Email, members.Out, StringComparison.Ordinal);
        Assert.Contains("Owner", members.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_other_account_institution_workspace_and_audit_commands_act_and_show()
    {
        var owner = await app.System.SignUpAsync(SystemApi.NewEmail("cli-rest"));
        await app.System.EnableMfaAsync(owner, DateTimeOffset.UtcNow);
        var name = "Cli rest " + Guid.NewGuid().ToString("N")[..8];
        var workspaceId = await app.System.CreateWorkspaceAsync(owner, name);
        var institutionId = Assert.Single(await app.System.ListMineAsync(owner)).Text("institutionBizId");

        var reset = await TenantryAsync("users", "reset-mfa", owner.UserId, "--json");
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.False(JsonDocument.Parse(reset.Out).RootElement.GetProperty("mfaEnabled").GetBoolean());
        var revoked = await TenantryAsync("users", "revoke-sessions", owner.UserId, "--json");
        Assert.Equal(0, JsonDocument.Parse(revoked.Out).RootElement.GetProperty("activeSessions").GetInt32());
        (await app.System.GetAsync("/web/v1/system/workspaces/mine", owner.AccessToken)).AssertEnvelope(global::System.Net.HttpStatusCode.Unauthorized, "4010");
        await app.System.VerifyEmailAsync(owner);
        var unverified = await TenantryAsync("users", "unverify-email", owner.UserId, "--json");
        Assert.False(JsonDocument.Parse(unverified.Out).RootElement.GetProperty("emailVerified").GetBoolean());

        var institutions = await TenantryAsync("institutions", "list", institutionId, "--json");
        Assert.Equal(institutionId, JsonDocument.Parse(institutions.Out).RootElement.GetProperty("items")[0].GetProperty("institutionBizId").GetString());
        var policy = await TenantryAsync("institutions", "set-policy", institutionId, "--enforce-mfa", "true", "--json");
        Assert.True(JsonDocument.Parse(policy.Out).RootElement.GetProperty("enforceMfa").GetBoolean(), policy.ToString());
        var institution = await TenantryAsync("institutions", "show", institutionId);
        Assert.True(institution.ExitCode == 0, institution.ToString());
        Assert.Contains(institutionId, institution.Out, StringComparison.Ordinal);

        (await app.System.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        var resumed = await TenantryAsync("workspaces", "resume", workspaceId, "--json");
        Assert.Equal("ACTIVE", JsonDocument.Parse(resumed.Out).RootElement.GetProperty("workspaceStatus").GetProperty("code").GetString());
        var shown = await TenantryAsync("workspaces", "show", workspaceId);
        Assert.Contains(name, shown.Out, StringComparison.Ordinal);

        var trail = await TenantryAsync("audit", "tail", "--workspace", workspaceId);
        Assert.True(trail.ExitCode == 0, trail.ToString());
        Assert.Contains("workspace.suspended", trail.Out, StringComparison.Ordinal);
        Assert.Contains("workspace.reactivated", trail.Out, StringComparison.Ordinal);
        Assert.Contains("operator", trail.Out, StringComparison.Ordinal);
        Assert.Contains("workspace.created", trail.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_keys_are_rotated_and_listed()
    {
        var rotated = await TenantryAsync("signing-keys", "rotate", "--json");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var states = JsonDocument.Parse(rotated.Out).RootElement.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("state").GetString()).ToList();
        Assert.Contains("PUBLISHED", states);
        Assert.Contains("SIGNING", states);
    }

    [Fact]
    public async Task Audit_tail_follows_new_events_until_its_duration_ends()
    {
        var owner = await app.System.SignUpAsync();
        var workspaceId = await app.System.CreateWorkspaceAsync(owner, "Followed " + Guid.NewGuid().ToString("N")[..8]);
        var follow = TenantryAsync("audit", "tail", "--follow", "--interval", "0.3", "--duration", "12", "--limit", "1", "--json");
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await app.System.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { description = "written while the tail follows" })).AssertOk();
        var run = await follow;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement),
            e => e.GetProperty("action").GetString() == "workspace.updated" && e.GetProperty("workspaceBizId").GetString() == workspaceId
                && e.GetProperty("actorUserBizId").GetString() == "operator");
    }

    [Theory]
    [InlineData(2, "users")]
    [InlineData(2, "users", "frobnicate")]
    [InlineData(2, "users", "find", "--page", "many")]
    [InlineData(2, "users", "find", "--page", "0")]
    [InlineData(2, "institutions", "set-policy", "inst_x")]
    [InlineData(4, "users", "show", "usr_00000000000000000000000000")]
    [InlineData(2, "webhooks", "update", "inst_x", "wh_x")]
    [InlineData(2, "webhooks", "replay-failed", "inst_x", "wh_x", "--since", "yesterday")]
    [InlineData(4, "webhooks", "list", "inst_00000000000000000000000000")]
    public async Task Bad_input_gets_one_line_and_its_exit_code_never_a_stack_trace(int exitCode, params string[] args)
    {
        var run = await TenantryAsync(args);
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.StartsWith("error:", run.Error.TrimStart(), StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task A_wrong_key_an_unreachable_server_and_a_missing_configuration_are_told_apart()
    {
        var wrongKey = await TenantryAsync(["users", "find"], new Dictionary<string, string?> { ["TENANTRY_ADMIN_KEY"] = "not-the-key" });
        Assert.True(wrongKey.ExitCode == 3, wrongKey.ToString());
        Assert.Contains("admin key", wrongKey.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-key", wrongKey.Out + wrongKey.Error, StringComparison.Ordinal);

        var unreachable = await TenantryAsync("users", "find", "--url", "http://127.0.0.1:9");
        Assert.True(unreachable.ExitCode == 5, unreachable.ToString());
        Assert.Contains("Cannot reach", unreachable.Error, StringComparison.Ordinal);

        var nothing = await TenantryAsync(["users", "find"], connect: false);
        Assert.True(nothing.ExitCode == 2, nothing.ToString());
        Assert.Contains("No server", nothing.Error, StringComparison.Ordinal);
        foreach (var run in new[] { wrongKey, unreachable, nothing })
        {
            AssertNoStackTrace(run);
        }
    }

    [Fact]
    public async Task The_config_file_supplies_the_url_and_key()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tenantry-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { url = app.BaseAddress.ToString(), adminKey = TenantryApp.AdminKey }));
        try
        {
            var run = await TenantryAsync(["signing-keys", "list", "--config", path], connect: false);
            Assert.True(run.ExitCode == 0, run.ToString());
            await File.WriteAllTextAsync(path, "{ not json");
            var broken = await TenantryAsync(["signing-keys", "list", "--config", path], connect: false);
            Assert.Equal(2, broken.ExitCode);
            AssertNoStackTrace(broken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Migrate_and_seed_work_on_a_local_database_and_mint_tokens()
    {
        var dir = Directory.CreateTempSubdirectory("tenantry-cli-seed-");
        try
        {
            var settings = new[] { "--Tenantry:DataDir", dir.FullName };
            var migrated = await TenantryAsync(["migrate", .. settings], connect: false);
            Assert.True(migrated.ExitCode == 0, migrated.ToString());
            Assert.Contains("up to date", migrated.Out, StringComparison.Ordinal);

            var tokens = Path.Combine(dir.FullName, "tokens.txt");
            var seeded = await TenantryAsync(["seed", "--users", "40", "--workspaces", "8", "--memberships", "60", "--token-sample", "5", "--tokens-file", tokens, .. settings],
                connect: false);
            Assert.True(seeded.ExitCode == 0, seeded.ToString());
            Assert.Contains("workspace_memberships", seeded.Out, StringComparison.Ordinal);
            Assert.Equal(5, (await File.ReadAllLinesAsync(tokens)).Length);

            var again = await TenantryAsync(["seed", "--users", "40", "--workspaces", "8", "--memberships", "60", .. settings], connect: false);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already has 40 users", again.Error, StringComparison.Ordinal);
            AssertNoStackTrace(again);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
