using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Adversarial;

public enum Dialect { System, Wacht, Console }

/// <summary>
/// One operation on a workspace. <c>{id}</c> is where the workspace id goes; <c>{member}</c>, <c>{role}</c> and
/// <c>{invitation}</c> stand for a (non-owner) member, a custom role and a pending invitation of that same workspace.
/// <c>{webhook}</c> and <c>{delivery}</c> stand for a webhook endpoint of the workspace's institution and one of its deliveries,
/// <c>{institution}</c> for that institution.
/// <see cref="Status"/>/<see cref="Code"/> are what a non-member gets; <see cref="OwnStatus"/> what the workspace's
/// sole owner gets for the same call.
/// </summary>
public sealed record WorkspaceOperation(
    Dialect Dialect, string Method, string Path, string? Body = null,
    HttpStatusCode Status = HttpStatusCode.NotFound, string Code = "4040", HttpStatusCode OwnStatus = HttpStatusCode.OK)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// Every endpoint that takes a workspace id, in both dialects. A new endpoint is one line here;
/// <see cref="CrossTenantTests.Every_endpoint_with_a_workspace_id_is_in_the_table"/> fails until it is.
/// </summary>
public static class WorkspaceOperations
{
    public static readonly WorkspaceOperation[] All =
    [
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}"),
        new(Dialect.System, "PATCH", "/web/v1/workspaces/{id}", """{"workspaceName":"Pwned","policyConfig":{"ipAllowlist":["0.0.0.0/0"],"enforceMfa":false}}"""),
        new(Dialect.System, "POST", "/web/v1/tenant/workspaces/{id}/default"),
        new(Dialect.System, "POST", "/web/v1/tenant/workspaces/{id}/leave", OwnStatus: HttpStatusCode.Conflict),
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}/roles"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/roles", """{"roleName":"Intruders","permissions":["members.invite"]}"""),
        new(Dialect.System, "PATCH", "/web/v1/workspaces/{id}/roles/{role}", """{"roleName":"Renamed","permissions":["members.invite","members.remove"]}"""),
        new(Dialect.System, "DELETE", "/web/v1/workspaces/{id}/roles/{role}"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/invitations", """{"email":"intruder@example.com","roleBizId":"{role}"}"""),
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}/invitations"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/invitations/{invitation}/revoke"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/invitations/{invitation}/resend"),
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}/members"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/members/role/change", """{"userBizId":"{member}","roleBizId":"{role}"}"""),
        new(Dialect.System, "DELETE", "/web/v1/workspaces/{id}/members/{member}"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/owner/transfer", """{"userBizId":"{member}"}"""),
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}/audit-events"),
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}/webhooks"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/webhooks", """{"url":"http://127.0.0.1:9/intruder"}"""),
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}/webhooks/{webhook}"),
        new(Dialect.System, "PATCH", "/web/v1/workspaces/{id}/webhooks/{webhook}", """{"url":"http://127.0.0.1:9/stolen","eventTypes":[]}"""),
        new(Dialect.System, "DELETE", "/web/v1/workspaces/{id}/webhooks/{webhook}"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/webhooks/{webhook}/rotate-secret"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/webhooks/{webhook}/test"),
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}/webhooks/{webhook}/deliveries"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/webhooks/{webhook}/deliveries/{delivery}/replay"),
        new(Dialect.System, "POST", "/web/v1/workspaces/{id}/webhooks/{webhook}/deliveries/replay-failed", """{"since":"2020-01-01T00:00:00Z"}"""),
        new(Dialect.System, "GET", "/web/v1/workspaces/{id}/access/mine"),
        // The operator API never takes user tokens, whoever's workspace it names.
        new(Dialect.System, "PATCH", "/admin/v1/workspaces/{id}", """{"workspaceStatus":"SUSPENDED"}""",
            HttpStatusCode.Unauthorized, "4010", HttpStatusCode.Unauthorized),
        new(Dialect.System, "PATCH", "/admin/v1/workspaces/{id}/members/{member}", """{"status":"INACTIVE"}""",
            HttpStatusCode.Unauthorized, "4010", HttpStatusCode.Unauthorized),
        new(Dialect.System, "GET", "/admin/v1/workspaces/{id}", Status: HttpStatusCode.Unauthorized, Code: "4010", OwnStatus: HttpStatusCode.Unauthorized),
        new(Dialect.System, "GET", "/admin/v1/workspaces/{id}/members", Status: HttpStatusCode.Unauthorized, Code: "4010", OwnStatus: HttpStatusCode.Unauthorized),
        // Wacht answers a non-member 400 "not a member" (as its SDK expects), the same words as for an id that does not exist.
        new(Dialect.Wacht, "POST", "/workspaces/{id}/leave", Status: HttpStatusCode.BadRequest, OwnStatus: HttpStatusCode.Forbidden),
        new(Dialect.Wacht, "POST", "/session/switch-workspace?workspace_id={id}", Status: HttpStatusCode.BadRequest),
        // Wacht's management routes send their fields as forms; here they travel in the query string, which Wacht's input also reads.
        new(Dialect.Wacht, "POST", "/workspaces/{id}/update?name=Pwned&enforce_2fa=false"),
        new(Dialect.Wacht, "GET", "/workspaces/{id}/members"),
        new(Dialect.Wacht, "POST", "/workspaces/{id}/members/{membership}/remove"),
        new(Dialect.Wacht, "POST", "/workspaces/{id}/members/{membership}/roles/{role}/add"),
        // The member holds the Member role, not {role}: for the owner too the role to take away is not found.
        new(Dialect.Wacht, "POST", "/workspaces/{id}/members/{membership}/roles/{role}/remove", OwnStatus: HttpStatusCode.NotFound),
        new(Dialect.Wacht, "GET", "/workspaces/{id}/roles"),
        new(Dialect.Wacht, "POST", "/workspaces/{id}/roles?name=Intruders"),
        new(Dialect.Wacht, "POST", "/workspaces/{id}/roles/{role}/delete"),
        new(Dialect.Wacht, "GET", "/organizations/{institution}/roles"),
        new(Dialect.Wacht, "GET", "/organizations/{institution}/members"),
        new(Dialect.Wacht, "GET", "/organizations/{institution}/invitations?workspace_id={id}"),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/invitations?workspace_id={id}&email=intruder@example.com"),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/invitations/{invitation}/discard"),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/invitations/{invitation}/resend"),
        new(Dialect.Wacht, "POST", "/workspaces/{id}/delete", OwnStatus: HttpStatusCode.BadRequest),
        new(Dialect.Wacht, "GET", "/organizations/{institution}/invitations"),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/update?name=Pwned"),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/delete", OwnStatus: HttpStatusCode.BadRequest),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/roles?name=Intruders", OwnStatus: HttpStatusCode.BadRequest),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/roles/orgrole_admin/remove", OwnStatus: HttpStatusCode.BadRequest),
        // Under /organizations, {membership} is the member's organization membership.
        new(Dialect.Wacht, "POST", "/organizations/{institution}/members/{membership}/remove"),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/members/{membership}/roles/orgrole_admin/add"),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/members/{membership}/roles/orgrole_admin/remove", OwnStatus: HttpStatusCode.BadRequest),
        new(Dialect.Wacht, "POST", "/organizations/{institution}/members/{membership}/roles/orgrole_member/remove", OwnStatus: HttpStatusCode.Conflict),
        // The web console (session cookie): a page of a foreign workspace is "not found", never its name; a form posted
        // to it (with a valid antiforgery token) finds no form on a page that was refused, and changes nothing.
        new(Dialect.Console, "GET", "/console/workspaces/{id}"),
        new(Dialect.Console, "POST", "/console/workspaces/{id}", "_handler=members&Action=remove:{member}", HttpStatusCode.BadRequest),
        new(Dialect.Console, "GET", "/console/workspaces/{id}/roles"),
        new(Dialect.Console, "POST", "/console/workspaces/{id}/roles", "_handler=roles&Action=delete:{role}", HttpStatusCode.BadRequest),
        new(Dialect.Console, "GET", "/console/workspaces/{id}/settings"),
        new(Dialect.Console, "POST", "/console/workspaces/{id}/settings", "_handler=settings&Name=Pwned&Timezone=UTC", HttpStatusCode.BadRequest),
        new(Dialect.Console, "GET", "/console/workspaces/{id}/audit"),
        new(Dialect.Console, "POST", "/console/workspaces/{id}/audit", "_handler=audit", HttpStatusCode.BadRequest, OwnStatus: HttpStatusCode.BadRequest),
        new(Dialect.Console, "GET", "/console/workspaces/{id}/audit.csv"),
        // The console's operator area: a signed-in user is no operator, so its pages send them to the operator key form
        // (302) whatever ids the address names, and an operator form they post finds no form on the refused page (400)
        // and changes nothing.
        new(Dialect.Console, "GET", "/console/admin/workspace?id={id}", Status: HttpStatusCode.Redirect, OwnStatus: HttpStatusCode.Redirect),
        new(Dialect.Console, "POST", "/console/admin/workspace?id={id}", "_handler=operator-members&Action=deactivate:{member}",
            HttpStatusCode.BadRequest, OwnStatus: HttpStatusCode.BadRequest),
        new(Dialect.Console, "POST", "/console/admin/institution?id={institution}", "_handler=operator-webhooks&Action=disable:{webhook}",
            HttpStatusCode.BadRequest, OwnStatus: HttpStatusCode.BadRequest),
        new(Dialect.Console, "POST", "/console/admin/webhook?institution={institution}&id={webhook}", "_handler=operator-deliveries&Action=replay:{delivery}",
            HttpStatusCode.BadRequest, OwnStatus: HttpStatusCode.BadRequest),
        new(Dialect.Console, "POST", "/console/admin/user?id={member}", "_handler=operator-user-sessions&Confirm=True",
            HttpStatusCode.BadRequest, OwnStatus: HttpStatusCode.BadRequest),
    ];
}

/// <summary>The ids an operation's placeholders stand for, all in one workspace.</summary>
public sealed record WorkspaceFixture(
    string WorkspaceId, string MemberId, string RoleId, string InvitationId, string WebhookId, string DeliveryId, string InstitutionId, string MembershipId,
    string OrganizationMembershipId)
{
    public string Fill(string text) => text
        .Replace("{id}", WorkspaceId, StringComparison.Ordinal)
        .Replace("{institution}", InstitutionId, StringComparison.Ordinal)
        .Replace("{webhook}", WebhookId, StringComparison.Ordinal)
        .Replace("{delivery}", DeliveryId, StringComparison.Ordinal)
        // Wacht names a member by membership: of the organization under /organizations, of the workspace under /workspaces.
        .Replace("{membership}", text.StartsWith("/organizations/", StringComparison.Ordinal) ? OrganizationMembershipId : MembershipId, StringComparison.Ordinal)
        .Replace("{member}", MemberId, StringComparison.Ordinal)
        .Replace("{role}", RoleId, StringComparison.Ordinal)
        .Replace("{invitation}", InvitationId, StringComparison.Ordinal);
}

/// <summary>Workspace A (owner, member, custom role with every permission) next to workspace B of another tenant.</summary>
public sealed class CrossTenantApp : TenantryApp
{
    private Task<TwoTenants>? _tenants;

    // The fixtures' webhook endpoints point at a closed port on loopback: nothing is ever delivered anywhere.
    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Webhooks:AllowPrivateNetworks"] = "true";

    public Task<TwoTenants> TenantsAsync() => _tenants ??= SetUpAsync();

    private async Task<TwoTenants> SetUpAsync()
    {
        var api = System;
        var ownerA = await api.SignUpAsync(SystemApi.NewEmail("owner-a"));
        var workspaceA = await api.CreateWorkspaceAsync(ownerA, "Tenant A");
        var memberA = await api.SignUpAsync(SystemApi.NewEmail("member-a"));
        await this.AddMemberAsync(workspaceA, memberA.UserId);
        var adminA = await api.SignUpAsync(SystemApi.NewEmail("admin-a"));
        await WithDbAsync(async db =>
        {
            var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceA);
            db.WorkspaceRoles.Add(WorkspaceRole.CreateCustom(workspace.InstitutionId, workspaceA, "Everything", null, Permissions.All, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        await this.AddMemberAsync(workspaceA, adminA.UserId, "Everything");

        var (ownerB, workspaceB) = await WorkspaceWithEverythingAsync("Tenant B");
        return new TwoTenants(workspaceA, workspaceB, ownerB, new Dictionary<string, TestUser>
        {
            [WorkspaceRole.OwnerName] = ownerA,
            [WorkspaceRole.MemberName] = memberA,
            ["Everything"] = adminA,
        });
    }

    /// <summary>A new owner's workspace with one member, one custom role and one pending invitation.</summary>
    public async Task<(TestUser Owner, WorkspaceFixture Workspace)> WorkspaceWithEverythingAsync(string name)
    {
        var api = System;
        var owner = await api.SignUpAsync(SystemApi.NewEmail("owner"));
        var workspaceId = await api.CreateWorkspaceAsync(owner, name);
        var member = await api.SignUpAsync(SystemApi.NewEmail("member"));
        await this.AddOrganizationMemberAsync(workspaceId, member.UserId);
        var roleId = (await api.CreateRoleAsync(owner, workspaceId, "Reviewers", "members.read")).AssertOk().Text("roleBizId");
        var memberRoleId = await api.RoleIdAsync(owner, workspaceId, WorkspaceRole.MemberName);
        var invitationId = await api.InvitedAsync(owner, workspaceId, SystemApi.NewEmail("invitee"), memberRoleId);
        var webhookId = (await api.PostAsync($"/web/v1/workspaces/{workspaceId}/webhooks", new { url = "http://127.0.0.1:9/hooks" }, owner.AccessToken))
            .AssertOk().Text("webhookBizId");
        var deliveryId = (await api.PostAsync($"/web/v1/workspaces/{workspaceId}/webhooks/{webhookId}/test", null, owner.AccessToken))
            .AssertOk().Text("deliveryId");
        var institutionId = await WithDbAsync(db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.InstitutionId).SingleAsync());
        var membershipId = await WithDbAsync(db => db.WorkspaceMemberships.Where(m => m.WorkspaceId == workspaceId && m.UserId == member.UserId)
            .Select(m => m.Id).SingleAsync());
        var organizationMembershipId = await WithDbAsync(db => db.InstitutionMemberships.Where(m => m.InstitutionId == institutionId && m.UserId == member.UserId)
            .Select(m => m.Id).SingleAsync());
        return (owner, new WorkspaceFixture(workspaceId, member.UserId, roleId, invitationId, webhookId, deliveryId, institutionId, membershipId,
            organizationMembershipId));
    }
}

public sealed record TwoTenants(string WorkspaceA, WorkspaceFixture WorkspaceB, TestUser OwnerB, IReadOnlyDictionary<string, TestUser> AttackersByRole);

/// <summary>
/// A member of workspace A, in every role, tries every workspace operation on workspace B of another tenant: the answer
/// is the one for a workspace that does not exist, and B does not change.
/// </summary>
public sealed class CrossTenantTests(CrossTenantApp app) : IClassFixture<CrossTenantApp>
{
    public static IEnumerable<object[]> Attacks() =>
        from role in new[] { WorkspaceRole.OwnerName, WorkspaceRole.MemberName, "Everything" }
        from operation in WorkspaceOperations.All
        select new object[] { role, operation.ToString() };

    public static IEnumerable<object[]> Operations() => WorkspaceOperations.All.Select(o => new object[] { o.ToString() });

    private static WorkspaceOperation Operation(string name) => WorkspaceOperations.All.Single(o => o.ToString() == name);

    /// <summary>The status and the words of the answer (the SYSTEM envelope also carries a timestamp, which differs).</summary>
    private async Task<(HttpStatusCode Status, string Answer)> SendAsync(WorkspaceOperation operation, WorkspaceFixture target, TestUser caller)
    {
        var path = target.Fill(operation.Path);
        var body = operation.Body is null ? null : target.Fill(operation.Body);
        if (operation.Dialect == Dialect.Wacht)
        {
            var wacht = await app.Wacht().SendAsync(new HttpMethod(operation.Method), path, caller.SessionCookie, WachtApi.EmptyForm());
            if ((int)wacht.Status >= 400)
            {
                wacht.AssertError(wacht.Status);
            }
            return (wacht.Status, wacht.Body);
        }
        if (operation.Dialect == Dialect.Console)
        {
            return await SendToConsoleAsync(operation.Method, path, body, caller);
        }
        var system = await app.System.SendAsync(new HttpMethod(operation.Method), path, body, caller.AccessToken);
        Assert.True((int)system.Status < 500, system.ToString());
        return (system.Status, $"{system.Code} {system.MessageText}");
    }

    /// <summary>
    /// A console page or form post with the caller's session cookie; a post carries a valid antiforgery token (from the
    /// sign-in page). The answer's words are its alert (or its text, for the CSV export): the page also names its own
    /// path, which holds the id.
    /// </summary>
    private string _lastConsolePage = "";

    private async Task<(HttpStatusCode Status, string Answer)> SendToConsoleAsync(string method, string path, string? body, TestUser caller)
    {
        using var http = app.CreateHttpClient();
        var cookies = $"__session={caller.SessionCookie}";
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            using var signIn = await http.GetAsync("/console/sign-in");
            var page = await signIn.Content.ReadAsStringAsync();
            var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            var antiforgery = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("__console_af=", StringComparison.Ordinal));
            cookies += "; " + antiforgery;
            var fields = body.Split('&').Select(f => f.Split('=', 2)).Select(f => new KeyValuePair<string, string>(f[0], f[1])).ToList();
            fields.Add(new("__RequestVerificationToken", token));
            request.Content = new FormUrlEncodedContent(fields);
        }
        request.Headers.Add("Cookie", cookies);
        using var answer = await http.SendAsync(request);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True((int)answer.StatusCode < 500, $"{method} {path}: {(int)answer.StatusCode} {text}");
        _lastConsolePage = text;
        var alert = Regex.Match(text, "<p data-problem>([^<]*)</p>");
        return (answer.StatusCode, alert.Success ? alert.Groups[1].Value : answer.Content.Headers.ContentType?.MediaType == "text/html" ? "" : text);
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_member_of_another_tenant_gets_the_answer_for_a_workspace_that_does_not_exist(string role, string operationName)
    {
        var tenants = await app.TenantsAsync();
        var operation = Operation(operationName);
        var attacker = tenants.AttackersByRole[role];
        var before = await SnapshotAsync(tenants.WorkspaceB.WorkspaceId);

        var attack = await SendAsync(operation, tenants.WorkspaceB, attacker);
        if (operation.Dialect == Dialect.Console)
        {
            Assert.DoesNotContain("Tenant B", _lastConsolePage, StringComparison.Ordinal);
        }

        Assert.Equal(operation.Status, attack.Status);
        if (operation.Dialect == Dialect.System)
        {
            Assert.StartsWith(operation.Code + " ", attack.Answer, StringComparison.Ordinal);
        }
        var nowhere = tenants.WorkspaceB with { WorkspaceId = EntityId.New(EntityId.Workspace, DateTimeOffset.UtcNow) };
        Assert.Equal(await SendAsync(operation, nowhere, attacker), attack);
        Assert.Equal(before, await SnapshotAsync(tenants.WorkspaceB.WorkspaceId));
        var items = await app.System.ListMineAsync(tenants.OwnerB);
        Assert.Equal("Tenant B", Assert.Single(items).GetProperty("workspaceName").GetString());
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_same_operation_by_the_workspaces_own_owner_does_what_it_says(string operationName)
    {
        // Control: each row names a real route and real ids, so the refusal above is the access rule and not a missing
        // route or a malformed call. A fresh workspace each time, as the operations change it.
        var operation = Operation(operationName);
        var (owner, workspace) = await app.WorkspaceWithEverythingAsync("Own");

        var (status, answer) = await SendAsync(operation, workspace, owner);

        Assert.True(status == operation.OwnStatus, $"{operation}: {(int)status} {answer}");
    }

    [Fact]
    public void Every_endpoint_with_a_workspace_id_is_in_the_table()
    {
        // A row may carry its fields in the query string; the route is the path.
        var covered = WorkspaceOperations.All.Select(o => o.ToString().Split('?')[0]).ToHashSet();
        var missing = new List<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            var raw = pattern.RawText!.TrimStart('/');
            // SYSTEM names its parameter after the workspace; Wacht calls it {id} under /workspaces.
            var parameter = pattern.Parameters.FirstOrDefault(p =>
                p.Name.Contains("workspace", StringComparison.OrdinalIgnoreCase) || (p.Name == "id" && raw.StartsWith("workspaces/", StringComparison.Ordinal)));
            if (parameter is null)
            {
                continue;
            }
            var path = "/" + Regex.Replace(raw, @"\{" + parameter.Name + @"[^}]*\}", "{id}");
            path = Regex.Replace(path, @"\{(roleBizId|invitationBizId|userBizId|webhookBizId|deliveryId|roleId|invitationId|membershipId|organizationId)\}", m => m.Groups[1].Value switch
            {
                "roleBizId" or "roleId" => "{role}",
                "invitationBizId" or "invitationId" => "{invitation}",
                "membershipId" => "{membership}",
                "organizationId" => "{institution}",
                "webhookBizId" => "{webhook}",
                "deliveryId" => "{delivery}",
                _ => "{member}",
            });
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                if (!covered.Contains($"{method} {path}"))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }
        Assert.True(missing.Count == 0, "Add these endpoints to WorkspaceOperations.All: " + string.Join(", ", missing));
    }

    private Task<string> SnapshotAsync(string workspaceId) => app.WithDbAsync(async db =>
    {
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == workspaceId);
        var members = await db.WorkspaceMemberships.AsNoTracking().Where(m => m.WorkspaceId == workspaceId)
            .OrderBy(m => m.UserId).Select(m => m.UserId + ":" + m.RoleId + ":" + m.Status + ":" + m.IsDefault).ToListAsync();
        var roles = await db.WorkspaceRoles.AsNoTracking().Where(r => r.WorkspaceId == workspaceId)
            .OrderBy(r => r.Id).Select(r => r.Id + ":" + r.Name + ":" + r.UpdatedAt).ToListAsync();
        var invitations = await db.Invitations.AsNoTracking().Where(i => i.WorkspaceId == workspaceId)
            .OrderBy(i => i.Id).Select(i => i.Id + ":" + i.Status + ":" + i.ExpiresAt).ToListAsync();
        var webhooks = await db.WebhookEndpoints.AsNoTracking().Where(e => e.InstitutionId == workspace.InstitutionId)
            .OrderBy(e => e.Id).Select(e => e.Id + ":" + e.Url + ":" + e.Enabled + ":" + e.Secret + ":" + e.UpdatedAt).ToListAsync();
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.InstitutionId == workspace.InstitutionId && d.ScheduledAt == d.CreatedAt)
            .CountAsync();
        // The members' accounts: the operator user page's actions (disable, sign out everywhere) would show here.
        // One query per table: Citus refuses a subquery that correlates a reference table (users) with a distributed one (sessions).
        var memberIds = await db.WorkspaceMemberships.AsNoTracking().Where(m => m.WorkspaceId == workspaceId).Select(m => m.UserId).ToListAsync();
        var statuses = await db.Users.AsNoTracking().Where(u => memberIds.Contains(u.Id)).OrderBy(u => u.Id).Select(u => new { u.Id, u.Status }).ToListAsync();
        var liveSessions = await db.Sessions.AsNoTracking().Where(s => memberIds.Contains(s.UserId) && s.RevokedAt == null)
            .GroupBy(s => s.UserId).Select(g => new { UserId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.UserId, g => g.Count);
        var accounts = statuses.Select(u => new { u.Id, u.Status, Live = liveSessions.GetValueOrDefault(u.Id) }).ToList();
        // The organization: its name and description, and who is in it in which role.
        var institution = await db.Institutions.AsNoTracking().Where(i => i.Id == workspace.InstitutionId).Select(i => i.Name + ":" + i.Description + ":" + i.UpdatedAt)
            .SingleAsync();
        var organizationMembers = await db.InstitutionMemberships.AsNoTracking().Where(m => m.InstitutionId == workspace.InstitutionId)
            .OrderBy(m => m.UserId).Select(m => m.UserId + ":" + m.Role).ToListAsync();
        return $"{institution}|{string.Join(",", organizationMembers)}|{workspace.Name}|{workspace.UpdatedAt:o}|{workspace.Status}|{string.Join(",", members)}|{string.Join(",", roles)}|{string.Join(",", invitations)}" +
            $"|{string.Join(",", webhooks)}|{deliveries}|{string.Join(",", accounts.Select(a => $"{a.Id}:{a.Status}:{a.Live}"))}";
    });
}
