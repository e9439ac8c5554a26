using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Webhooks;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Webhooks;

/// <summary>
/// Managing endpoints: who may (webhooks.manage and Owner or Admin of the institution), bad input
/// (4000 naming the field, never a 500), other tenants' ids (4040), the secret (shown once, encrypted
/// at rest), the operator routes of CONTRACT 8, and the migration that gives owners the permission.
/// </summary>
public sealed class WebhookManagementTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private const string Url = "http://127.0.0.1:9/hooks";

    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId)> OwnerAsync()
    {
        var owner = await _api.SignUpAsync();
        return (owner, await _api.CreateWorkspaceAsync(owner));
    }

    [Fact]
    public async Task Bad_input_answers_4000_naming_the_field()
    {
        var (owner, workspaceId) = await OwnerAsync();
        var path = WebhookCalls.Path(workspaceId);
        var cases = new (object Body, string Field)[]
        {
            (new { }, "$.url"),
            (new { url = "" }, "$.url"),
            (new { url = "not a url" }, "$.url"),
            (new { url = "ftp://example.com/hooks" }, "$.url"),
            (new { url = "/relative/hooks" }, "$.url"),
            (new { url = "https://example.com/hooks#fragment" }, "$.url"),
            (new { url = "https://example.com/" + new string('a', 3000) }, "$.url"),
            (new { url = Url, eventTypes = new[] { "member.added", "member.exploded" } }, "$.eventTypes[1]"),
            (new { url = Url, eventTypes = new string?[] { null } }, "$.eventTypes[0]"),
            (new { url = Url, description = new string('d', 501) }, "$.description"),
            (new { url = Url, description = "CRM\u0000sync" }, "$.description"),
            (new { url = Url, description = "CRM\u0085sync" }, "$.description"),
            (new { url = "http://127.0.0.1:9/ho\u0001oks" }, "$.url"),
            ("""{"url":"http://127.0.0.1:9/hooks","eventTypes":"member.added"}""", "$.eventTypes"),
            ("""{"url":42}""", "$.url"),
            ("""{"url":"http://127.0.0.1:9/hooks","description":{"a":1}}""", "$.description"),
        };
        foreach (var (body, field) in cases)
        {
            var response = await _api.PostAsync(path, body, owner.AccessToken);
            Assert.True(response.Status == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {response}");
            response.AssertValidationError(field);
        }
        Assert.Equal(0, await app.CountAsync<WebhookEndpoint>(q => q.Where(e => e.Url.Contains("127.0.0.1:9") && e.InstitutionId == "none")));

        var (webhookId, _) = await _api.CreateWebhookAsync(owner, workspaceId, Url);
        var one = WebhookCalls.Path(workspaceId, "/" + webhookId);
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { }, "$"),
            ("""{"enabled":"yes"}""", "$.enabled"),
            (new { enabled = (bool?)null }, "$.enabled"),
            (new { url = (string?)null }, "$.url"),
            (new { eventTypes = new[] { "webhook.test" } }, "$.eventTypes[0]"),
            (new { description = "line one\u0007" }, "$.description"),
        })
        {
            (await _api.PatchAsync(one, body, owner.AccessToken)).AssertValidationError(field);
        }
        // A description may span lines.
        Assert.Equal("line one\nline two", (await _api.PatchAsync(one, new { description = "line one\nline two" }, owner.AccessToken)).AssertOk().Text("description"));
        var replay = WebhookCalls.Path(workspaceId, $"/{webhookId}/deliveries/replay-failed");
        (await _api.PostAsync(replay, new { }, owner.AccessToken)).AssertValidationError("$.since");
        (await _api.PostAsync(replay, new { since = "last tuesday" }, owner.AccessToken)).AssertValidationError("$.since");
        (await _api.GetAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/deliveries?page=0"), owner.AccessToken)).AssertValidationError("page");
        (await _api.GetAsync(WebhookCalls.Path(workspaceId, "?pageSize=500"), owner.AccessToken)).AssertValidationError("pageSize");
        // Unknown ids of any shape are 4040, never a 500.
        foreach (var id in new[] { "nope", "wh_", "wh_01m8a9t56kdm2avr4tk56ncfbm", "%27%20OR%201%3D1--" })
        {
            (await _api.GetAsync(WebhookCalls.Path(workspaceId, "/" + id), owner.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
            (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/deliveries/{id}/replay"), null, owner.AccessToken))
                .AssertEnvelope(HttpStatusCode.NotFound, "4040");
        }
    }

    [Fact]
    public async Task The_secret_is_shown_once_in_the_standard_format_and_stored_encrypted()
    {
        var (owner, workspaceId) = await OwnerAsync();
        var created = (await _api.PostAsync(WebhookCalls.Path(workspaceId), new { url = Url, description = "  CRM sync  ", eventTypes = new[] { "role.deleted", "member.added", "member.added" } },
            owner.AccessToken)).AssertOk("1.0.0");
        var secret = created.Text("secret");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.True(created.Flag("enabled"));
        Assert.Equal("CRM sync", created.Text("description"));
        // Catalogue order, no duplicates.
        Assert.Equal(["member.added", "role.deleted"], created.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        var webhookId = created.Text("webhookBizId");

        Assert.False((await _api.WebhookAsync(owner, workspaceId, webhookId)).TryGetProperty("secret", out _));
        var listed = (await _api.GetAsync(WebhookCalls.Path(workspaceId), owner.AccessToken)).AssertOk("1.0.0");
        Assert.All(listed.EnumerateArray(), e => Assert.False(e.TryGetProperty("secret", out _)));
        Assert.DoesNotContain("whsec_", listed.GetRawText(), StringComparison.Ordinal);

        var stored = await app.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().Where(e => e.Id == webhookId).Select(e => e.Secret).SingleAsync());
        Assert.StartsWith("dp1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);

        // Updating leaves the secret alone; an empty list subscribes to every event type.
        var updated = (await _api.PatchAsync(WebhookCalls.Path(workspaceId, "/" + webhookId), new { eventTypes = Array.Empty<string>(), description = (string?)null },
            owner.AccessToken)).AssertOk("1.0.0");
        Assert.Empty(updated.GetProperty("eventTypes").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("description").ValueKind);
        Assert.Equal(stored, await app.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().Where(e => e.Id == webhookId).Select(e => e.Secret).SingleAsync()));
    }

    [Fact]
    public async Task Only_members_with_webhooks_manage_who_run_the_institution_may_manage_its_webhooks()
    {
        var (owner, workspaceId) = await OwnerAsync();
        var institutionId = await app.InstitutionOfAsync(workspaceId);
        (await _api.CreateRoleAsync(owner, workspaceId, "Integrator", "workspace.read", "webhooks.manage")).AssertOk();
        var path = WebhookCalls.Path(workspaceId);

        // A plain member: 4030.
        var member = await _api.SignUpAsync();
        await _api.JoinAsync(owner, workspaceId, member);
        (await _api.GetAsync(path, member.AccessToken)).AssertEnvelope(HttpStatusCode.Forbidden, "4030");

        // webhooks.manage in the workspace, but only a Member of the institution: the institution's endpoints see every
        // workspace's events, so that is not enough.
        var integrator = await _api.SignUpAsync();
        await _api.JoinAsync(owner, workspaceId, integrator, "Integrator");
        (await _api.GetAsync(path, integrator.AccessToken)).AssertEnvelope(HttpStatusCode.Forbidden, "4030");
        (await _api.PostAsync(path, new { url = Url }, integrator.AccessToken)).AssertEnvelope(HttpStatusCode.Forbidden, "4030");

        // An Admin of the institution with the permission may.
        await app.SetOrganizationRoleAsync(institutionId, integrator.UserId, InstitutionRole.Admin);
        (await _api.PostAsync(path, new { url = Url }, integrator.AccessToken)).AssertOk("1.0.0");
        // An Admin of the institution without the permission in the workspace may not.
        await app.SetOrganizationRoleAsync(institutionId, member.UserId, InstitutionRole.Admin);
        (await _api.GetAsync(path, member.AccessToken)).AssertEnvelope(HttpStatusCode.Forbidden, "4030");

        // Owners hold it, and the catalogue describes it.
        Assert.Single((await _api.GetAsync(path, owner.AccessToken)).AssertOk().EnumerateArray());
        var catalogue = (await _api.GetAsync("/web/v1/system/permissions")).AssertOk().EnumerateArray().ToArray();
        Assert.Equal(Catalog.Text("en", "Permission.webhooks.manage"), catalogue.Item("permission", "webhooks.manage").Text("description"));
    }

    [Fact]
    public async Task Another_institutions_endpoints_and_deliveries_are_4040_through_ones_own_workspace()
    {
        var (victim, victimWorkspace) = await OwnerAsync();
        var (victimWebhook, _) = await _api.CreateWebhookAsync(victim, victimWorkspace, Url);
        var victimDelivery = (await _api.PostAsync(WebhookCalls.Path(victimWorkspace, $"/{victimWebhook}/test"), null, victim.AccessToken)).AssertOk().Text("deliveryId");
        var (attacker, attackerWorkspace) = await OwnerAsync();
        var (attackerWebhook, _) = await _api.CreateWebhookAsync(attacker, attackerWorkspace, Url);

        foreach (var (method, rest, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, $"/{victimWebhook}", null),
            (HttpMethod.Patch, $"/{victimWebhook}", new { url = "http://127.0.0.1:9/stolen" }),
            (HttpMethod.Delete, $"/{victimWebhook}", null),
            (HttpMethod.Post, $"/{victimWebhook}/rotate-secret", null),
            (HttpMethod.Post, $"/{victimWebhook}/test", null),
            (HttpMethod.Get, $"/{victimWebhook}/deliveries", null),
            (HttpMethod.Post, $"/{victimWebhook}/deliveries/{victimDelivery}/replay", null),
            (HttpMethod.Post, $"/{victimWebhook}/deliveries/replay-failed", new { since = "2020-01-01T00:00:00Z" }),
            // The attacker's own endpoint with the victim's delivery.
            (HttpMethod.Post, $"/{attackerWebhook}/deliveries/{victimDelivery}/replay", null),
        })
        {
            (await _api.SendAsync(method, WebhookCalls.Path(attackerWorkspace, rest), body, attacker.AccessToken))
                .AssertEnvelope(HttpStatusCode.NotFound, "4040");
        }
        var endpoint = await _api.WebhookAsync(victim, victimWorkspace, victimWebhook);
        Assert.Equal(Url, endpoint.Text("url"));
        Assert.Equal(JsonValueKind.Null, endpoint.GetProperty("previousSecretExpiresAt").ValueKind);
        Assert.Single(await _api.DeliveriesAsync(victim, victimWorkspace, victimWebhook));
    }

    [Fact]
    public async Task The_operator_manages_every_institutions_webhooks_on_the_contract_routes()
    {
        var (owner, workspaceId) = await OwnerAsync();
        var institutionId = await app.InstitutionOfAsync(workspaceId);
        await using var receiver = await WebhookReceiver.StartAsync();
        var root = $"/admin/v1/institutions/{institutionId}/webhooks";

        var created = (await _api.AdminSendAsync(HttpMethod.Post, root, new { url = receiver.Url, description = "operator", eventTypes = new[] { "workspace.suspended" } }))
            .AssertOk();
        var webhookId = created.Text("webhookBizId");
        receiver.Secrets.Add(created.Text("secret"));
        Assert.True(created.Flag("enabled"));
        Assert.Equal(institutionId, created.Text("institutionBizId"));

        Assert.Equal(webhookId, Assert.Single((await _api.AdminSendAsync(HttpMethod.Get, root)).AssertOk().EnumerateArray()).Text("webhookBizId"));
        Assert.False((await _api.AdminSendAsync(HttpMethod.Get, $"{root}/{webhookId}")).AssertOk().TryGetProperty("secret", out _));
        // The same endpoint is the institution's in the SYSTEM dialect too.
        Assert.Equal("operator", (await _api.WebhookAsync(owner, workspaceId, webhookId)).Text("description"));

        (await _api.AdminSendAsync(HttpMethod.Patch, $"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        Assert.Equal("workspace.suspended", (await receiver.WaitForAsync(1))[0].Type);

        var rotated = (await _api.AdminSendAsync(HttpMethod.Post, $"{root}/{webhookId}/rotate-secret")).AssertOk();
        receiver.Secrets.Add(rotated.Text("secret"));
        var test = (await _api.AdminSendAsync(HttpMethod.Post, $"{root}/{webhookId}/test")).AssertOk();
        var arrived = (await receiver.WaitForAsync(2))[1];
        Assert.Equal(test.Text("deliveryId"), arrived.Id);
        Assert.Equal(2, arrived.VerifiedWith.Count);

        JsonElement[] deliveries = [];
        await Eventually.TrueAsync(async () => (deliveries = (await _api.AdminSendAsync(HttpMethod.Get, $"{root}/{webhookId}/deliveries")).AssertOk().EnumerateArray().ToArray())
            .All(d => d.Text("status") == "DELIVERED"));
        Assert.Equal(["webhook.test", "workspace.suspended"], deliveries.Select(d => d.Text("eventType")));
        (await _api.AdminSendAsync(HttpMethod.Post, $"{root}/{webhookId}/deliveries/{deliveries[1].Text("deliveryId")}/replay")).AssertOk();
        Assert.Equal(deliveries[1].Text("deliveryId"), (await receiver.WaitForAsync(3))[2].Id);
        Assert.Equal(0, (await _api.AdminSendAsync(HttpMethod.Post, $"{root}/{webhookId}/deliveries/replay-failed", new { since = "2020-01-01T00:00:00Z" }))
            .AssertOk().GetProperty("replayed").GetInt32());

        (await _api.AdminSendAsync(HttpMethod.Patch, $"{root}/{webhookId}", new { enabled = false })).AssertOk();
        (await _api.AdminSendAsync(HttpMethod.Patch, $"{root}/{webhookId}", new { eventTypes = new[] { "nope" } })).AssertValidationError("$.eventTypes[0]");
        (await _api.AdminSendAsync(HttpMethod.Post, root, new { url = "nope" })).AssertValidationError("$.url");
        (await _api.AdminSendAsync(HttpMethod.Delete, $"{root}/{webhookId}")).AssertOk();
        (await _api.AdminSendAsync(HttpMethod.Get, $"{root}/{webhookId}")).AssertEnvelope(HttpStatusCode.NotFound, "4040");

        // An institution that does not exist, and no key.
        foreach (var missing in new[] { "inst_01m8a9t56kdm2avr4tk56ncfbm", "nope" })
        {
            (await _api.AdminSendAsync(HttpMethod.Get, $"/admin/v1/institutions/{missing}/webhooks")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
            (await _api.AdminSendAsync(HttpMethod.Post, $"/admin/v1/institutions/{missing}/webhooks", new { url = Url })).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        }
        (await _api.SendAsync(HttpMethod.Get, root, portalCode: null)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.SendAsync(HttpMethod.Get, root, token: owner.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }

    [Fact]
    public async Task The_migration_gives_existing_owner_roles_webhooks_manage_and_takes_it_back_on_the_way_down()
    {
        var (owner, workspaceId) = await OwnerAsync();
        var ownerRoleId = await _api.RoleIdAsync(owner, workspaceId, WorkspaceRole.OwnerName);
        await OwnerGrantMigrations.AssertGrantsOwnersAsync(app.Services, "Webhooks", Permissions.WebhooksManage,
            ownerRoleId, await _api.RoleIdAsync(owner, workspaceId, WorkspaceRole.MemberName));
    }
}
