using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Webhooks;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Wacht;
using Tenantry.Server.Dialects.SystemApi.Webhooks;

namespace Tenantry.IntegrationTests.Webhooks;

/// <summary>
/// Changes made through the API reach a real receiver (Kestrel on loopback) as Standard Webhooks
/// deliveries that it verifies with the StandardWebhooks library: the expected events, with their
/// payloads, in order; retried while the receiver is down, timed out when it hangs, disabled on 410;
/// signed with both secrets during a rotation.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId, WebhookReceiver Receiver, string WebhookId, string Secret)> EndpointAsync(params string[] eventTypes)
    {
        var owner = await _api.SignUpAsync(SystemApi.NewEmail("owner"), "Olivia Owner");
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Hooks Inc");
        var receiver = await WebhookReceiver.StartAsync();
        var (webhookId, secret) = await _api.CreateWebhookAsync(owner, workspaceId, receiver.Url, eventTypes);
        receiver.Secrets.Add(secret);
        return (owner, workspaceId, receiver, webhookId, secret);
    }

    [Fact]
    public async Task Each_change_arrives_as_one_signed_event_with_the_resource_as_the_system_dialect_shows_it()
    {
        var (owner, workspaceId, receiver, webhookId, secret) = await EndpointAsync();
        await using var listening = receiver;
        var institutionId = (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}", owner.AccessToken)).AssertOk().Text("institutionBizId");
        var expected = new List<string>();

        async Task<ReceivedWebhook> NextAsync(string type)
        {
            expected.Add(type);
            var received = (await receiver.WaitForAsync(expected.Count))[expected.Count - 1];
            Assert.Equal(type, received.Type);
            Assert.Equal(institutionId, received.Data.Text("institutionBizId"));
            Assert.Equal(workspaceId, received.Data.Text("workspaceBizId"));
            return received;
        }

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Hooks Ltd" }, owner.AccessToken)).AssertOk();
        var updated = await NextAsync("workspace.updated");
        Assert.Equal("Hooks Ltd", updated.Data.GetProperty("workspace").Text("workspaceName"));
        Assert.Equal(owner.UserId, updated.Data.Text("actorUserBizId"));
        Assert.Equal(["workspaceName"], updated.Data.GetProperty("details").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));

        var roleId = (await _api.CreateRoleAsync(owner, workspaceId, "Reviewers", "members.read")).AssertOk().Text("roleBizId");
        var roleCreated = await NextAsync("role.created");
        Assert.Equal(roleId, roleCreated.Data.Text("targetBizId"));
        Assert.Equal("Reviewers", roleCreated.Data.GetProperty("role").Text("roleName"));
        Assert.Equal(["members.read"], roleCreated.Data.GetProperty("role").GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}/roles/{roleId}", new { description = "Read-only reviewers" }, owner.AccessToken)).AssertOk();
        Assert.Equal("Read-only reviewers", (await NextAsync("role.updated")).Data.GetProperty("role").Text("description"));

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { policyConfig = new { allowInvitationTransfer = true } }, owner.AccessToken)).AssertOk();
        var policy = await NextAsync("policy.updated");
        Assert.Equal(JsonValueKind.Null, policy.Data.GetProperty("details").GetProperty("before").ValueKind);
        Assert.True(policy.Data.GetProperty("details").GetProperty("after").Flag("allowInvitationTransfer"));

        var inviteeEmail = SystemApi.NewEmail("invitee");
        var invitationId = await _api.InvitedAsync(owner, workspaceId, inviteeEmail, roleId);
        var invited = await NextAsync("invitation.created");
        Assert.Equal(invitationId, invited.Data.GetProperty("invitation").Text("invitationBizId"));
        Assert.Equal(inviteeEmail, invited.Data.GetProperty("invitation").Text("email"));
        Assert.Equal("PENDING", invited.Data.GetProperty("invitation").Text("status"));

        var invitee = await _api.SignUpVerifiedAsync(inviteeEmail, "Ivan Invitee");
        (await _api.AcceptAsync(invitee, invitationId)).AssertOk();
        var accepted = await NextAsync("invitation.accepted");
        Assert.Equal(invitee.UserId, accepted.Data.Text("actorUserBizId"));
        Assert.Equal("ACCEPTED", accepted.Data.GetProperty("invitation").Text("status"));
        var added = await NextAsync("member.added");
        Assert.Equal(invitee.UserId, added.Data.Text("targetBizId"));
        Assert.Equal(inviteeEmail, added.Data.GetProperty("member").Text("email"));
        Assert.Equal("Reviewers", added.Data.GetProperty("member").Text("workspaceRoleName"));
        Assert.Equal("INVITED", added.Data.GetProperty("member").Code("joinSource"));

        var memberRoleId = await _api.RoleIdAsync(owner, workspaceId, "Member");
        (await _api.ChangeRoleAsync(owner, workspaceId, invitee.UserId, memberRoleId)).AssertOk();
        var changed = await NextAsync("member.role_changed");
        Assert.Equal("Member", changed.Data.GetProperty("member").Text("workspaceRoleName"));
        Assert.Equal("Reviewers", changed.Data.GetProperty("details").Text("fromRoleName"));

        var second = await _api.InvitedAsync(owner, workspaceId, SystemApi.NewEmail("second"), memberRoleId);
        await NextAsync("invitation.created");
        (await _api.PostAsync($"/web/v1/workspaces/{workspaceId}/invitations/{second}/resend", null, owner.AccessToken)).AssertOk();
        Assert.Equal(second, (await NextAsync("invitation.resent")).Data.GetProperty("invitation").Text("invitationBizId"));
        (await _api.PostAsync($"/web/v1/workspaces/{workspaceId}/invitations/{second}/revoke", null, owner.AccessToken)).AssertOk();
        Assert.Equal("REVOKED", (await NextAsync("invitation.revoked")).Data.GetProperty("invitation").Text("status"));

        var decliner = await _api.SignUpVerifiedAsync(SystemApi.NewEmail("decliner"), "Dora Decliner");
        var third = await _api.InvitedAsync(owner, workspaceId, decliner.Email, memberRoleId);
        await NextAsync("invitation.created");
        (await _api.DeclineAsync(decliner, third)).AssertOk();
        var declined = await NextAsync("invitation.declined");
        Assert.Equal(decliner.UserId, declined.Data.Text("actorUserBizId"));
        Assert.Equal("DECLINED", declined.Data.GetProperty("invitation").Text("status"));

        (await _api.RemoveMemberAsync(owner, workspaceId, invitee.UserId)).AssertOk();
        var removed = await NextAsync("member.removed");
        Assert.Equal(invitee.UserId, removed.Data.Text("targetBizId"));
        Assert.False(removed.Data.TryGetProperty("member", out _), "A removed member is described by ids and details only.");
        Assert.Equal("Member", removed.Data.GetProperty("details").Text("roleName"));

        (await _api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{workspaceId}/roles/{roleId}", token: owner.AccessToken)).AssertOk();
        var roleDeleted = await NextAsync("role.deleted");
        Assert.False(roleDeleted.Data.TryGetProperty("role", out _));
        Assert.Equal("Reviewers", roleDeleted.Data.GetProperty("details").Text("name"));

        (await _api.AdminSendAsync(HttpMethod.Patch, $"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        var suspended = await NextAsync("workspace.suspended");
        Assert.False(suspended.Data.TryGetProperty("actorUserBizId", out _), "The operator is no user.");
        Assert.Equal("SUSPENDED", suspended.Data.GetProperty("workspace").GetProperty("workspaceStatus").Text("code"));
        (await _api.AdminSendAsync(HttpMethod.Patch, $"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "ACTIVE" })).AssertOk();
        await NextAsync("workspace.reactivated");

        // Nothing else comes: every event is expanded and the endpoint has exactly these deliveries, all delivered.
        await app.AllEventsExpandedAsync();
        var deliveries = await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d.All(x => x.Text("status") == "DELIVERED"));
        Assert.Equal(expected.Count, deliveries.Length);
        Assert.Equal(expected.AsEnumerable().Reverse(), deliveries.Select(d => d.Text("eventType")));
        var received = receiver.Received;
        Assert.Equal(expected, received.Select(r => r.Type));
        Assert.Equal(deliveries.Select(d => d.Text("deliveryId")).Reverse(), received.Select(r => r.Id));
        Assert.All(deliveries, d => Assert.Equal((1, 204), (d.GetProperty("attempts").GetInt32(), d.GetProperty("lastStatusCode").GetInt32())));
        Assert.All(received, r =>
        {
            Assert.Equal([secret], r.VerifiedWith);
            Assert.StartsWith("whmsg_", r.Id, StringComparison.Ordinal);
            Assert.Equal(["type", "timestamp", "data"], r.Json.EnumerateObject().Select(p => p.Name));
            Assert.True(r.Json.GetProperty("timestamp").GetDateTime() <= DateTime.UtcNow);
            foreach (var forbidden in new[] { "password", "secret", "whsec_", "accessToken", "refreshToken", "totp" })
            {
                Assert.DoesNotContain(forbidden, r.Body, StringComparison.OrdinalIgnoreCase);
            }
        });
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        // The documented examples (OpenAPI, docs/WEBHOOKS.md) have the shape of what is delivered.
        Assert.All(received, r => Assert.Equal(Shape(WebhookDocumentation.Examples[r.Type]!.ToJsonString()), Shape(r.Body)));
    }

    [Fact]
    public async Task Organization_changes_arrive_without_a_workspace_and_in_the_documented_shape()
    {
        var types = new[] { "institution.updated", "institution.member_role_changed", "institution.member_removed", "member.removed" };
        var (owner, workspaceId, receiver, _, _) = await EndpointAsync(types);
        await using var listening = receiver;
        var institutionId = await app.InstitutionOfAsync(workspaceId);
        var member = await _api.SignUpAsync(SystemApi.NewEmail("member"));
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);
        var membershipId = await app.WithDbAsync(db => db.InstitutionMemberships.Where(m => m.InstitutionId == institutionId && m.UserId == member.UserId)
            .Select(m => m.Id).SingleAsync());
        var wacht = app.Wacht();

        (await wacht.PostAsync($"/organizations/{institutionId}/update", owner.SessionCookie, WachtForms.Form(("name", "Hooks Group")))).AssertOk();
        (await wacht.PostAsync($"/organizations/{institutionId}/members/{membershipId}/roles/orgrole_admin/add", owner.SessionCookie)).AssertOk();
        (await wacht.PostAsync($"/organizations/{institutionId}/members/{membershipId}/remove", owner.SessionCookie)).AssertOk();

        var received = await receiver.WaitForAsync(4);
        // The removal's two events are one transaction's: their order is not defined.
        Assert.Equal(types.Order(), received.Select(r => r.Type).Order());
        var byType = received.ToDictionary(r => r.Type);
        Assert.All(received, r => Assert.Equal((institutionId, owner.UserId), (r.Data.Text("institutionBizId"), r.Data.Text("actorUserBizId"))));
        Assert.Equal(["name"], byType["institution.updated"].Data.GetProperty("details").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        var roleChange = byType["institution.member_role_changed"].Data.GetProperty("details");
        Assert.Equal(("Member", "Admin"), (roleChange.Text("fromRole"), roleChange.Text("toRole")));
        Assert.Equal(member.UserId, byType["institution.member_removed"].Data.Text("targetBizId"));
        Assert.Equal(workspaceId, byType["member.removed"].Data.Text("workspaceBizId"));
        Assert.All(received.Where(r => r.Type.StartsWith("institution.", StringComparison.Ordinal)), r => Assert.False(r.Data.TryGetProperty("workspaceBizId", out _)));
        Assert.All(received, r => Assert.Equal(Shape(WebhookDocumentation.Examples[r.Type]!.ToJsonString()), Shape(r.Body)));
    }

    /// <summary>Every property path of a JSON document (array elements merged), so that two bodies can be compared by shape, not values.</summary>
    private static SortedSet<string> Shape(string json)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement e, string at)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        paths.Add(at + "/" + p.Name);
                        Walk(p.Value, at + "/" + p.Name);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item, at + "[]");
                    }
                    break;
            }
        }
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement, "");
        return paths;
    }

    [Fact]
    public async Task A_burst_of_changes_arrives_in_the_order_they_were_made()
    {
        var (owner, workspaceId, receiver, webhookId, _) = await EndpointAsync("role.created");
        await using var listening = receiver;
        var names = Enumerable.Range(1, 25).Select(i => $"Role {i:00}").ToList();
        foreach (var name in names)
        {
            (await _api.CreateRoleAsync(owner, workspaceId, name, "members.read")).AssertOk();
        }
        // A change of a type the endpoint did not subscribe to is not delivered.
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Not delivered" }, owner.AccessToken)).AssertOk();

        var received = await receiver.WaitForAsync(names.Count);
        Assert.Equal(names, received.Select(r => r.Data.GetProperty("role").Text("roleName")));
        await app.AllEventsExpandedAsync();
        Assert.Equal(names.Count, (await _api.DeliveriesAsync(owner, workspaceId, webhookId)).Length);
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_delivery_once_it_is_back()
    {
        var (owner, workspaceId, receiver, webhookId, _) = await EndpointAsync();
        await using var listening = receiver;
        var port = receiver.Port;
        await receiver.StopAsync();

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "While you were out" }, owner.AccessToken)).AssertOk();
        // Retried with backoff: several failed attempts, each recorded, with the next one scheduled.
        var failing = (await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d.Length == 1 && d[0].GetProperty("attempts").GetInt32() >= 3))[0];
        Assert.Equal("PENDING", failing.Text("status"));
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("lastStatusCode").ValueKind);
        Assert.False(string.IsNullOrEmpty(failing.Text("lastError")));
        Assert.Equal(JsonValueKind.String, failing.GetProperty("nextAttemptAt").ValueKind);
        var endpoint = await _api.WebhookAsync(owner, workspaceId, webhookId);
        Assert.True(endpoint.Flag("enabled"));
        Assert.Equal(JsonValueKind.String, endpoint.GetProperty("failingSince").ValueKind);

        await receiver.StartAsync(port);
        var arrived = (await receiver.WaitForAsync(1))[0];
        Assert.Equal(failing.Text("deliveryId"), arrived.Id);
        var delivered = (await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d[0].Text("status") == "DELIVERED"))[0];
        Assert.Equal(204, delivered.GetProperty("lastStatusCode").GetInt32());
        Assert.True(delivered.GetProperty("attempts").GetInt32() >= 4);
        // Delivered is final: it went out exactly once to the receiver that was up, and the streak is over.
        Assert.Single(receiver.Received);
        Assert.Equal(JsonValueKind.Null, (await _api.WebhookAsync(owner, workspaceId, webhookId)).GetProperty("failingSince").ValueKind);
    }

    [Fact]
    public async Task A_receiver_that_answers_410_gone_disables_the_endpoint_and_its_owners_see_why()
    {
        var (owner, workspaceId, receiver, webhookId, _) = await EndpointAsync();
        await using var listening = receiver;
        receiver.Answer = _ => 410;

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Gone" }, owner.AccessToken)).AssertOk();
        await receiver.WaitForAsync(1);
        JsonElement endpoint = default;
        await Eventually.TrueAsync(async () => !(endpoint = await _api.WebhookAsync(owner, workspaceId, webhookId)).Flag("enabled"));
        Assert.Contains("410", endpoint.Text("disabledReason"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, endpoint.GetProperty("disabledAt").ValueKind);
        var delivery = Assert.Single(await _api.DeliveriesAsync(owner, workspaceId, webhookId));
        Assert.Equal(("FAILED", 410), (delivery.Text("status"), delivery.GetProperty("lastStatusCode").GetInt32()));

        // A disabled endpoint gets nothing more, and refuses tests and replays until it is enabled again.
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Still gone" }, owner.AccessToken)).AssertOk();
        await app.AllEventsExpandedAsync();
        Assert.Single(await _api.DeliveriesAsync(owner, workspaceId, webhookId));
        (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/test"), null, owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.Conflict, "WEBHOOK.ENDPOINT_DISABLED", "1.0.0");
        Assert.Single(receiver.Received);

        receiver.Answer = _ => 200;
        var enabled = (await _api.PatchAsync(WebhookCalls.Path(workspaceId, "/" + webhookId), new { enabled = true }, owner.AccessToken)).AssertOk();
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabledReason").ValueKind);
        (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/deliveries/{delivery.Text("deliveryId")}/replay"), null, owner.AccessToken)).AssertOk();
        var replayed = await receiver.WaitForAsync(2);
        Assert.Equal(delivery.Text("deliveryId"), replayed[1].Id);
    }

    [Fact]
    public async Task A_receiver_that_hangs_is_timed_out_and_retried()
    {
        var (owner, workspaceId, receiver, webhookId, _) = await EndpointAsync();
        await using var listening = receiver;
        receiver.Hang = TimeSpan.FromMinutes(5);

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Slow" }, owner.AccessToken)).AssertOk();
        var timedOut = (await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d.Length == 1 && d[0].GetProperty("attempts").GetInt32() >= 2))[0];
        Assert.Equal("PENDING", timedOut.Text("status"));
        Assert.Contains("timed out", timedOut.Text("lastError"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, timedOut.GetProperty("lastStatusCode").ValueKind);
        Assert.True(receiver.Received.Count >= 2, "Each attempt reached the receiver, which never answered.");
        Assert.All(receiver.Received, r => Assert.Equal(timedOut.Text("deliveryId"), r.Id));

        receiver.Hang = null;
        await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d[0].Text("status") == "DELIVERED");
    }

    [Fact]
    public async Task During_a_secret_rotation_deliveries_verify_with_either_secret()
    {
        var (owner, workspaceId, receiver, webhookId, oldSecret) = await EndpointAsync();
        await using var listening = receiver;

        var rotated = (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/rotate-secret"), null, owner.AccessToken)).AssertOk("1.0.0");
        var newSecret = rotated.Text("secret");
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(oldSecret, newSecret);
        // The previous secret stays valid for the configured overlap (24 h by default).
        Assert.InRange(rotated.GetProperty("previousSecretExpiresAt").GetDateTime().ToUniversalTime(), DateTime.UtcNow.AddHours(23), DateTime.UtcNow.AddHours(25));
        receiver.Secrets.Add(newSecret);

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Rotated" }, owner.AccessToken)).AssertOk();
        var delivery = (await receiver.WaitForAsync(1))[0];
        Assert.Equal(2, delivery.Signature.Split(' ').Length);
        Assert.All(delivery.Signature.Split(' '), s => Assert.StartsWith("v1,", s, StringComparison.Ordinal));
        // A receiver that knows only one of the two secrets accepts it, whichever it is.
        Assert.Equal(new[] { oldSecret, newSecret }.Order(), delivery.VerifiedWith.Order());
        // The previous secret's signature comes first, so that a receiver not yet switched verifies even with a library
        // that looks at the first signature only (StandardWebhooks 1.1.2 given the whole header).
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["webhook-id"] = delivery.Id, ["webhook-timestamp"] = delivery.Timestamp, ["webhook-signature"] = delivery.Signature,
        };
        new StandardWebhooks.StandardWebhook(oldSecret).Verify(delivery.Body, headers);

        // Once the overlap is over, only the new secret signs.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE webhook_endpoints SET previous_secret_expires_at = {0} WHERE id = {1}", DateTime.UtcNow.AddMinutes(-1), webhookId));
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Rotated again" }, owner.AccessToken)).AssertOk();
        var later = (await receiver.WaitForAsync(2))[1];
        Assert.Single(later.Signature.Split(' '));
        Assert.Equal([newSecret], later.VerifiedWith);
    }

    [Fact]
    public async Task A_test_event_goes_to_the_endpoint_whatever_it_subscribes_to_and_a_replay_keeps_the_webhook_id()
    {
        var (owner, workspaceId, receiver, webhookId, _) = await EndpointAsync("member.removed");
        await using var listening = receiver;

        var test = (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/test"), null, owner.AccessToken)).AssertOk("1.0.0");
        Assert.Equal(("webhook.test", "PENDING"), (test.Text("eventType"), test.Text("status")));
        var arrived = (await receiver.WaitForAsync(1))[0];
        Assert.Equal(("webhook.test", test.Text("deliveryId")), (arrived.Type, arrived.Id));
        Assert.Equal(webhookId, arrived.Data.Text("targetBizId"));

        var replay = (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/deliveries/{arrived.Id}/replay"), null, owner.AccessToken)).AssertOk();
        Assert.Equal("PENDING", replay.Text("status"));
        var again = (await receiver.WaitForAsync(2))[1];
        Assert.Equal((arrived.Id, arrived.Body), (again.Id, again.Body));
        var delivery = (await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d[0].Text("status") == "DELIVERED"))[0];
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Disabling_fails_pending_deliveries_and_every_failed_delivery_since_a_time_can_be_replayed()
    {
        var (owner, workspaceId, receiver, webhookId, _) = await EndpointAsync();
        await using var listening = receiver;
        var port = receiver.Port;
        await receiver.StopAsync();
        var since = DateTime.UtcNow.AddSeconds(-1);
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "One" }, owner.AccessToken)).AssertOk();
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Two" }, owner.AccessToken)).AssertOk();
        await app.AllEventsExpandedAsync();
        var failed = await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d.Length == 2 && d.Any(x => x.GetProperty("attempts").GetInt32() >= 1));

        var disabled = (await _api.PatchAsync(WebhookCalls.Path(workspaceId, "/" + webhookId), new { enabled = false }, owner.AccessToken)).AssertOk();
        Assert.False(disabled.Flag("enabled"));
        Assert.Equal(JsonValueKind.Null, disabled.GetProperty("disabledReason").ValueKind);
        Assert.All(await _api.DeliveriesAsync(owner, workspaceId, webhookId), d => Assert.Equal("FAILED", d.Text("status")));
        (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/deliveries/replay-failed"), new { since }, owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.Conflict, "WEBHOOK.ENDPOINT_DISABLED", "1.0.0");

        await receiver.StartAsync(port);
        (await _api.PatchAsync(WebhookCalls.Path(workspaceId, "/" + webhookId), new { enabled = true }, owner.AccessToken)).AssertOk();
        var replayed = (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/deliveries/replay-failed"), new { since }, owner.AccessToken)).AssertOk("1.0.0");
        Assert.Equal(2, replayed.GetProperty("replayed").GetInt32());
        var arrived = await receiver.WaitForAsync(2);
        Assert.Equal(failed.Select(d => d.Text("deliveryId")).Order(), arrived.Select(r => r.Id).Order());
        Assert.All(arrived, r => Assert.Equal("workspace.updated", r.Type));
        await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d.All(x => x.Text("status") == "DELIVERED"));
        // Nothing failed after "now", so a replay from now on replays nothing.
        (await _api.PostAsync(WebhookCalls.Path(workspaceId, $"/{webhookId}/deliveries/replay-failed"), new { since = DateTime.UtcNow }, owner.AccessToken))
            .AssertOk().GetProperty("replayed").GetInt32().Equals(0);
    }

    [Fact]
    public async Task Deleting_an_endpoint_stops_its_deliveries()
    {
        var (owner, workspaceId, receiver, webhookId, _) = await EndpointAsync();
        await using var listening = receiver;
        (await _api.SendAsync(HttpMethod.Delete, WebhookCalls.Path(workspaceId, "/" + webhookId), token: owner.AccessToken)).AssertOk("1.0.0");
        (await _api.GetAsync(WebhookCalls.Path(workspaceId, "/" + webhookId), owner.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Nobody listens" }, owner.AccessToken)).AssertOk();
        await app.AllEventsExpandedAsync();
        Assert.Equal(0, await app.CountAsync<WebhookDelivery>(q => q.Where(d => d.EndpointId == webhookId)));
        Assert.Empty(receiver.Received);
    }
}
