using System.CommandLine;
using System.Text.Json;
using Tenantry.Client;
using Tenantry.Client.Api.Operator;

namespace Tenantry.Cli.Operator;

/// <summary>
/// The operator commands: users, institutions, workspaces, members, audit, signing-keys and webhooks
/// (<see cref="WebhookCommands"/>), each a call of <see cref="TenantryAdminClient"/> (the operator API, /admin/v1).
/// </summary>
internal static class OperatorCommands
{
    private static readonly string[] s_userColumns = ["user", "email", "verified", "name", "status", "mfa", "sessions", "workspaces", "created"];
    private static readonly string[] s_accountEventColumns = ["time", "action", "actor", "details"];
    private static readonly string[] s_institutionColumns = ["institution", "name", "slug", "members", "mfa", "ip allow-list", "created"];
    private static readonly string[] s_workspaceColumns = ["workspace", "name", "institution", "status", "kind", "members", "created"];
    private static readonly string[] s_memberColumns = ["user", "email", "name", "role", "status", "account", "joined"];
    private static readonly string[] s_auditColumns = ["time", "action", "actor", "target", "institution", "workspace", "details"];
    private static readonly string[] s_keyColumns = ["kid", "state", "activates", "retires", "expires"];

    public static void AddTo(RootCommand root, GlobalOptions global)
    {
        root.Subcommands.Add(Users(global));
        root.Subcommands.Add(Institutions(global));
        root.Subcommands.Add(Workspaces(global));
        root.Subcommands.Add(Members(global));
        root.Subcommands.Add(Audit(global));
        root.Subcommands.Add(SigningKeys(global));
        root.Subcommands.Add(WebhookCommands.Create(global));
    }

    internal static Argument<string> Id(string name, string description) => new(name) { Description = description };

    private static Argument<string?> Query() => new("query") { Description = "Text to look for (id, or part of a name or email); everything without it.", Arity = ArgumentArity.ZeroOrOne };

    internal static Option<int> Page() => new("--page") { Description = "Page number, from 1.", DefaultValueFactory = _ => 1 };

    internal static Option<int> PageSize() => new("--page-size") { Description = "Items per page, 1-200.", DefaultValueFactory = _ => 50 };

    private static Command Users(GlobalOptions global)
    {
        var users = new Command("users", "Accounts: find, show, disable, enable, sign out everywhere, reset MFA, vouch for an email address, events.");

        var query = Query();
        var page = Page();
        var pageSize = PageSize();
        var find = new Command("find", "Find accounts by id, email or name (newest first).") { query, page, pageSize };
        find.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var found = await client.SearchUsersAsync(result.GetValue(query), result.GetValue(page), result.GetValue(pageSize), ct);
            output.List(found.Items, found.Total, s_userColumns, UserRow, "use --page or --page-size for more");
            return CliExit.Ok;
        });
        users.Subcommands.Add(find);

        foreach (var (name, description, action) in new (string, string, Func<TenantryAdminClient, string, CancellationToken, Task<AdminUserResponse>>)[]
                 {
                     ("show", "Show one account.", (c, id, ct) => c.GetUserAsync(id, ct)),
                     ("disable", "Disable an account: its sessions end at once and sign-in answers AUTH.ACCOUNT_DISABLED.", (c, id, ct) => c.DisableUserAsync(id, ct)),
                     ("enable", "Enable a disabled account.", (c, id, ct) => c.EnableUserAsync(id, ct)),
                     ("revoke-sessions", "Sign an account out everywhere (every session revoked).", (c, id, ct) => c.RevokeSessionsAsync(id, ct)),
                     ("reset-mfa", "Remove an account's authenticator and recovery codes (a lost device).", (c, id, ct) => c.ResetMfaAsync(id, ct)),
                     ("verify-email", "Mark an account's email address verified (you vouch for it): invitations to it need no token then.",
                         (c, id, ct) => c.SetEmailVerifiedAsync(id, verified: true, ct)),
                     ("unverify-email", "Mark an account's email address unverified again: the account verifies it by email.",
                         (c, id, ct) => c.SetEmailVerifiedAsync(id, verified: false, ct)),
                 })
        {
            var id = Id("userBizId", "The account's id (usr_...).");
            var command = new Command(name, description) { id };
            command.SetOperatorAction(global, async (client, output, result, ct) =>
            {
                User(output, await action(client, result.GetValue(id)!, ct));
                return CliExit.Ok;
            });
            users.Subcommands.Add(command);
        }

        var eventsId = Id("userBizId", "The account's id (usr_...).");
        var events = new Command("events", "An account's events, newest first: address verified or unverified, disabled, enabled, signed out, MFA reset; by whom.") { eventsId };
        events.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var trail = await client.GetUserEventsAsync(result.GetValue(eventsId)!, ct);
            output.List(trail, trail.Count, s_accountEventColumns, e => [e.CreatedAt, e.Action, e.ActorUserBizId ?? e.Actor, e.Details]);
            return CliExit.Ok;
        });
        users.Subcommands.Add(events);
        return users;
    }

    private static Command Institutions(GlobalOptions global)
    {
        var institutions = new Command("institutions", "Institutions (tenants): list, show, suspend, resume, set-policy.");

        var query = Query();
        var page = Page();
        var pageSize = PageSize();
        var list = new Command("list", "List institutions, newest first.") { query, page, pageSize };
        list.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var found = await client.SearchInstitutionsAsync(result.GetValue(query), result.GetValue(page), result.GetValue(pageSize), ct);
            output.List(found.Items, found.Total, s_institutionColumns, InstitutionRow, "use --page or --page-size for more");
            return CliExit.Ok;
        });
        institutions.Subcommands.Add(list);

        var showId = Id("institutionBizId", "The institution's id (inst_...).");
        var show = new Command("show", "Show one institution.") { showId };
        show.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            Institution(output, await client.GetInstitutionAsync(result.GetValue(showId)!, ct));
            return CliExit.Ok;
        });
        institutions.Subcommands.Add(show);

        foreach (var suspend in new[] { true, false })
        {
            var id = Id("institutionBizId", "The institution's id (inst_...).");
            var command = new Command(suspend ? "suspend" : "resume", suspend ? "Suspend every workspace of the institution." : "Reactivate every workspace of the institution.") { id };
            command.SetOperatorAction(global, async (client, output, result, ct) =>
            {
                var changed = suspend
                    ? await client.SuspendInstitutionAsync(result.GetValue(id)!, ct)
                    : await client.ResumeInstitutionAsync(result.GetValue(id)!, ct);
                output.Item(changed, ("institution", changed.Institution.InstitutionBizId), ("name", changed.Institution.Name),
                    ("workspaces changed", $"{changed.WorkspacesChanged} of {changed.Workspaces}"));
                return CliExit.Ok;
            });
            institutions.Subcommands.Add(command);
        }

        var policyId = Id("institutionBizId", "The institution's id (inst_...).");
        var enforceMfa = new Option<bool?>("--enforce-mfa") { Description = "Require MFA in every workspace of the institution (true or false)." };
        var ipAllow = new Option<string[]>("--ip-allow") { Description = "Allowed client addresses or CIDR blocks (repeat, or --ip-allow none to clear).", AllowMultipleArgumentsPerToken = true };
        var setPolicy = new Command("set-policy", "Set an institution's MFA enforcement and IP allow-list (what is not given stays).") { policyId, enforceMfa, ipAllow };
        setPolicy.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var mfa = result.GetValue(enforceMfa);
            var allow = AllowList(result.GetValue(ipAllow));
            if (mfa is null && allow is null)
            {
                throw new CliException(CliExit.Usage, "Nothing to set: give --enforce-mfa and/or --ip-allow.");
            }
            Institution(output, await client.SetInstitutionPolicyAsync(result.GetValue(policyId)!, mfa, allow, ct));
            return CliExit.Ok;
        });
        institutions.Subcommands.Add(setPolicy);
        return institutions;
    }

    private static Command Workspaces(GlobalOptions global)
    {
        var workspaces = new Command("workspaces", "Workspaces: list, show, suspend, resume, set-policy.");

        var query = Query();
        var institution = new Option<string>("--institution") { Description = "Only the workspaces of this institution (inst_...)." };
        var status = new Option<string>("--status") { Description = "Only ACTIVE or SUSPENDED workspaces." };
        var page = Page();
        var pageSize = PageSize();
        var list = new Command("list", "List workspaces, newest first.") { query, institution, status, page, pageSize };
        list.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var found = await client.SearchWorkspacesAsync(result.GetValue(query), result.GetValue(institution), result.GetValue(status)?.ToUpperInvariant(),
                result.GetValue(page), result.GetValue(pageSize), ct);
            output.List(found.Items, found.Total, s_workspaceColumns, WorkspaceRow, "use --page or --page-size for more");
            return CliExit.Ok;
        });
        workspaces.Subcommands.Add(list);

        var showId = Id("workspaceBizId", "The workspace's id (ws_...).");
        var show = new Command("show", "Show one workspace.") { showId };
        show.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            Workspace(output, await client.GetWorkspaceAsync(result.GetValue(showId)!, ct));
            return CliExit.Ok;
        });
        workspaces.Subcommands.Add(show);

        foreach (var suspend in new[] { true, false })
        {
            var id = Id("workspaceBizId", "The workspace's id (ws_...).");
            var command = new Command(suspend ? "suspend" : "resume", suspend ? "Suspend a workspace: no member can enter it; defaults stay." : "Reactivate a suspended workspace.") { id };
            command.SetOperatorAction(global, async (client, output, result, ct) =>
            {
                Workspace(output, await client.SetWorkspaceStatusAsync(result.GetValue(id)!, suspend, ct));
                return CliExit.Ok;
            });
            workspaces.Subcommands.Add(command);
        }

        var policyId = Id("workspaceBizId", "The workspace's id (ws_...).");
        var enforceMfa = new Option<bool>("--enforce-mfa") { Description = "Require MFA to enter the workspace." };
        var ipAllow = new Option<string[]>("--ip-allow") { Description = "Allowed client addresses or CIDR blocks (repeat; none for no restriction).", AllowMultipleArgumentsPerToken = true };
        var setPolicy = new Command("set-policy", "Replace a workspace's policy: IP allow-list and enforced MFA.") { policyId, enforceMfa, ipAllow };
        setPolicy.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            Workspace(output, await client.SetWorkspacePolicyAsync(result.GetValue(policyId)!, AllowList(result.GetValue(ipAllow)) ?? [], result.GetValue(enforceMfa), ct));
            return CliExit.Ok;
        });
        workspaces.Subcommands.Add(setPolicy);
        return workspaces;
    }

    private static Command Members(GlobalOptions global)
    {
        var members = new Command("members", "Members of a workspace.");
        var id = Id("workspaceBizId", "The workspace's id (ws_...).");
        var page = Page();
        var pageSize = PageSize();
        var list = new Command("list", "List a workspace's members, active or not, in the order they joined.") { id, page, pageSize };
        list.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var found = await client.GetMembersPageAsync(result.GetValue(id)!, result.GetValue(page), result.GetValue(pageSize), ct);
            output.List(found.Items, found.Total, s_memberColumns,
                m => [m.UserBizId, m.Email, m.DisplayName, m.WorkspaceRoleName, m.Status, m.UserStatus, m.CreatedAt], "use --page or --page-size for more");
            return CliExit.Ok;
        });
        members.Subcommands.Add(list);
        return members;
    }

    private static Command Audit(GlobalOptions global)
    {
        var audit = new Command("audit", "The audit trail of every institution and of the directory (an account's own events: users events).");
        var institution = new Option<string>("--institution") { Description = "Only events of this institution." };
        var workspace = new Option<string>("--workspace") { Description = "Only events of this workspace." };
        var action = new Option<string>("--action") { Description = "Only this action (e.g. workspace.updated)." };
        var limit = new Option<int>("-n", "--limit") { Description = "How many recent events to show first (1-200).", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("-f", "--follow") { Description = "Keep printing new events as they are written (Ctrl-C stops)." };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls when following.", DefaultValueFactory = _ => 2 };
        var duration = new Option<double?>("--duration") { Description = "Stop following after this many seconds." };
        var tail = new Command("tail", "Show the most recent events, oldest of them first; with --follow, keep going.") { institution, workspace, action, limit, follow, interval, duration };
        tail.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var filter = new TenantryAuditFilter(result.GetValue(institution), result.GetValue(workspace), result.GetValue(action));
            var recent = await client.GetAuditEventsAsync(filter, 1, result.GetValue(limit), ct);
            var events = recent.Items.Reverse().ToList();
            if (!result.GetValue(follow))
            {
                output.List(events, recent.Total, s_auditColumns, AuditRow, "use --limit for more");
                return CliExit.Ok;
            }
            var wait = TimeSpan.FromSeconds(Math.Max(0.2, result.GetValue(interval)));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (result.GetValue(duration) is { } seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            var after = events.LastOrDefault()?.EventBizId;
            PrintEvents(output, events);
            try
            {
                while (true)
                {
                    await Task.Delay(wait, stop.Token);
                    // Everything newer than the last event printed, a page at a time, oldest first.
                    var fresh = new List<AdminAuditEventResponse>();
                    for (var page = 1; ; page++)
                    {
                        var batch = await client.GetAuditEventsAsync(filter with { After = after }, page, 200, stop.Token);
                        fresh.AddRange(batch.Items);
                        if (!batch.HasMore)
                        {
                            break;
                        }
                    }
                    fresh.Reverse();
                    PrintEvents(output, fresh);
                    after = fresh.LastOrDefault()?.EventBizId ?? after;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return CliExit.Ok;
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C is how following ends.
                return CliExit.Ok;
            }
        });
        audit.Subcommands.Add(tail);
        return audit;
    }

    private static Command SigningKeys(GlobalOptions global)
    {
        var keys = new Command("signing-keys", "The access-token signing keys.");
        var list = new Command("list", "List the keys that are published, signing or still verifying.");
        list.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var all = await client.ListSigningKeysAsync(ct);
            output.List(all, all.Count, s_keyColumns, k => [k.Kid, k.State, k.ActivatesAt, k.RetiresAt, k.ExpiresAt]);
            return CliExit.Ok;
        });
        keys.Subcommands.Add(list);

        var rotate = new Command("rotate", "Rotate now: a new key is published at once and signs after the publish lead; tokens already issued stay valid.");
        rotate.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var all = await client.RotateSigningKeyAsync(ct);
            output.List(all, all.Count, s_keyColumns, k => [k.Kid, k.State, k.ActivatesAt, k.RetiresAt, k.ExpiresAt]);
            return CliExit.Ok;
        });
        keys.Subcommands.Add(rotate);
        return keys;
    }

    private static List<string>? AllowList(string[]? values) =>
        values is null or { Length: 0 } ? null
        : values is ["none"] ? []
        : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static object?[] UserRow(AdminUserResponse u) =>
        [u.UserBizId, u.Email, u.EmailVerified, u.DisplayName, u.Status, u.MfaEnabled, u.ActiveSessions, u.WorkspaceCount, u.CreatedAt];

    private static object?[] InstitutionRow(AdminInstitutionResponse i) =>
        [i.InstitutionBizId, i.Name, i.Slug, i.MemberCount, i.EnforceMfa, i.IpAllowlist, i.CreatedAt];

    private static object?[] WorkspaceRow(AdminWorkspaceResponse w) =>
        [w.BizId, w.WorkspaceName, w.InstitutionBizId, w.WorkspaceStatus.Code, w.WorkspaceKind.Code, w.MemberCount, w.CreatedAt];

    private static object?[] AuditRow(AdminAuditEventResponse e) =>
        [e.CreatedAt, e.Action, e.ActorUserBizId, $"{e.TargetType} {e.TargetBizId}", e.InstitutionBizId, e.WorkspaceBizId, e.Details];

    private static void PrintEvents(CliOutput output, List<AdminAuditEventResponse> events)
    {
        foreach (var e in events)
        {
            if (output.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(e, JsonSerializerOptions.Web));
            }
            else
            {
                Console.Out.WriteLine(string.Join("  ", AuditRow(e).Select(CliOutput.Text)));
            }
        }
        Console.Out.Flush();
    }

    private static void User(CliOutput output, AdminUserResponse u) => output.Item(u,
        ("user", u.UserBizId), ("email", u.Email), ("email verified", (object?)u.EmailVerifiedAt ?? "no"), ("name", u.DisplayName), ("status", u.Status), ("mfa", u.MfaEnabled),
        ("active sessions", u.ActiveSessions), ("workspaces", u.WorkspaceCount), ("created", u.CreatedAt), ("updated", u.UpdatedAt));

    private static void Institution(CliOutput output, AdminInstitutionResponse i) => output.Item(i,
        ("institution", i.InstitutionBizId), ("name", i.Name), ("slug", i.Slug), ("members", i.MemberCount), ("enforce mfa", i.EnforceMfa),
        ("ip allow-list", i.IpAllowlist), ("auto-assigned workspace", i.AutoAssignedWorkspaceBizId), ("created", i.CreatedAt), ("updated", i.UpdatedAt));

    private static void Workspace(CliOutput output, AdminWorkspaceResponse w) => output.Item(w,
        ("workspace", w.BizId), ("name", w.WorkspaceName), ("institution", w.InstitutionBizId), ("status", w.WorkspaceStatus.Code),
        ("kind", w.WorkspaceKind.Code), ("timezone", w.WorkspaceTimezone), ("members", w.MemberCount), ("slug", w.Slug),
        ("ip allow-list", w.PolicyConfig?.IpAllowlist), ("enforce mfa", w.PolicyConfig?.EnforceMfa), ("segments", w.Segments),
        ("created", w.CreatedAt), ("updated", w.UpdatedAt));
}
