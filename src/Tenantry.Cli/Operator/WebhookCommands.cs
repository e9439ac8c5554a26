using System.CommandLine;
using System.Globalization;
using Tenantry.Client;
using Spectre.Console;
using Tenantry.Client.Api.Operator;

namespace Tenantry.Cli.Operator;

/// <summary>
/// <c>tenantry webhooks ...</c>: an institution's webhook endpoints and their deliveries (docs/WEBHOOKS.md), through
/// <see cref="TenantryAdminClient"/>. The signing secret is printed only by <c>create</c> and <c>rotate-secret</c>,
/// the two answers that carry it.
/// </summary>
internal static class WebhookCommands
{
    private static readonly string[] s_endpointColumns = ["webhook", "url", "events", "enabled", "failing since", "description", "created"];
    private static readonly string[] s_deliveryColumns = ["delivery", "type", "status", "attempts", "last status", "last error", "next attempt", "delivered", "created"];

    private const string SecretNote = "The secret is shown this once: store it now. Receivers verify every delivery with it (docs/WEBHOOKS.md).";

    public static Command Create(GlobalOptions global)
    {
        var webhooks = new Command("webhooks",
            "An institution's webhook endpoints: list, create, show, update, delete, rotate-secret, test; their deliveries: deliveries, replay, replay-failed.");
        webhooks.Subcommands.Add(List(global));
        webhooks.Subcommands.Add(Add(global));
        webhooks.Subcommands.Add(Show(global));
        webhooks.Subcommands.Add(Update(global));
        webhooks.Subcommands.Add(Delete(global));
        webhooks.Subcommands.Add(RotateSecret(global));
        webhooks.Subcommands.Add(Test(global));
        webhooks.Subcommands.Add(Deliveries(global));
        webhooks.Subcommands.Add(Replay(global));
        webhooks.Subcommands.Add(ReplayFailed(global));
        return webhooks;
    }

    private static Argument<string> Institution() => OperatorCommands.Id("institutionBizId", "The institution's id (inst_...).");

    private static Argument<string> Webhook() => OperatorCommands.Id("webhookBizId", "The endpoint's id (wh_...).");

    private static Option<string[]> EventTypes(string description) =>
        new("--event-type") { Description = description, AllowMultipleArgumentsPerToken = true };

    private static Command List(GlobalOptions global)
    {
        var institution = Institution();
        var page = OperatorCommands.Page();
        var pageSize = OperatorCommands.PageSize();
        var list = new Command("list", "List an institution's endpoints, oldest first (secrets are never listed).") { institution, page, pageSize };
        list.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var found = await client.GetWebhooksPageAsync(result.GetValue(institution)!, result.GetValue(page), result.GetValue(pageSize), ct);
            output.List(found.Items, found.Total, s_endpointColumns,
                w => [w.WebhookBizId, w.Url, Events(w), w.Enabled, w.FailingSince, w.Description, w.CreatedAt], "use --page or --page-size for more");
            return CliExit.Ok;
        });
        return list;
    }

    private static Command Add(GlobalOptions global)
    {
        var institution = Institution();
        var url = new Argument<string>("url") { Description = "Where to POST the events: an absolute http(s) URL (https only in Production)." };
        var description = new Option<string>("--description") { Description = "What the endpoint is for (up to 500 characters)." };
        var eventTypes = EventTypes("Only these event types (repeat, or comma-separated; e.g. member.added). Without it: every event type, including later ones.");
        var create = new Command("create", "Add an endpoint to an institution; prints its signing secret, this once.") { institution, url, description, eventTypes };
        create.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var created = await client.CreateWebhookAsync(result.GetValue(institution)!, result.GetValue(url)!, result.GetValue(description),
                Split(result.GetValue(eventTypes)), ct);
            Endpoint(output, created, withSecret: true);
            return CliExit.Ok;
        });
        return create;
    }

    private static Command Show(GlobalOptions global)
    {
        var institution = Institution();
        var webhook = Webhook();
        var show = new Command("show", "Show one endpoint (without its secret).") { institution, webhook };
        show.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            Endpoint(output, await client.GetWebhookAsync(result.GetValue(institution)!, result.GetValue(webhook)!, ct), withSecret: false);
            return CliExit.Ok;
        });
        return show;
    }

    private static Command Update(GlobalOptions global)
    {
        var institution = Institution();
        var webhook = Webhook();
        // Not --url: that option names the Tenantry server on every command.
        var url = new Option<string>("--endpoint-url") { Description = "A new URL for the endpoint (checked as on create)." };
        var description = new Option<string>("--description") { Description = "A new description (\"\" clears it)." };
        var eventTypes = EventTypes("Only these event types from now on (repeat, or comma-separated); --event-type all for every event type.");
        var enabled = new Option<bool?>("--enabled") { Description = "--enabled true: enable (clears the reason it was disabled); --enabled false: disable (waiting deliveries fail)." };
        var update = new Command("update", "Change an endpoint's URL, description, event types or whether it is enabled (what is not given stays).")
        {
            institution, webhook, url, description, eventTypes, enabled,
        };
        update.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var types = Split(result.GetValue(eventTypes));
            if (types is not null && types.Contains("all", StringComparer.OrdinalIgnoreCase))
            {
                if (types.Count > 1)
                {
                    throw new CliException(CliExit.Usage, "--event-type all means every event type: give it alone.");
                }
                types = [];
            }
            var changes = new TenantryWebhookChanges(result.GetValue(url), result.GetValue(description), types, result.GetValue(enabled));
            if (changes == new TenantryWebhookChanges())
            {
                throw new CliException(CliExit.Usage, "Nothing to change: give --endpoint-url, --description, --event-type and/or --enabled.");
            }
            Endpoint(output, await client.UpdateWebhookAsync(result.GetValue(institution)!, result.GetValue(webhook)!, changes, ct), withSecret: false);
            return CliExit.Ok;
        });
        return update;
    }

    private static Command Delete(GlobalOptions global)
    {
        var institution = Institution();
        var webhook = Webhook();
        var delete = new Command("delete", "Delete an endpoint and its deliveries.") { institution, webhook };
        delete.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var id = result.GetValue(webhook)!;
            await client.DeleteWebhookAsync(result.GetValue(institution)!, id, ct);
            output.Item(new { webhookBizId = id, deleted = true }, ("deleted", id));
            return CliExit.Ok;
        });
        return delete;
    }

    private static Command RotateSecret(GlobalOptions global)
    {
        var institution = Institution();
        var webhook = Webhook();
        var rotate = new Command("rotate-secret",
            "Give an endpoint a new signing secret, printed this once; deliveries are signed with the old one too until the overlap ends.") { institution, webhook };
        rotate.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            Endpoint(output, await client.RotateWebhookSecretAsync(result.GetValue(institution)!, result.GetValue(webhook)!, ct), withSecret: true);
            return CliExit.Ok;
        });
        return rotate;
    }

    private static Command Test(GlobalOptions global)
    {
        var institution = Institution();
        var webhook = Webhook();
        var test = new Command("test", "Queue a webhook.test event to an endpoint; prints its delivery (see it arrive with deliveries).") { institution, webhook };
        test.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            Delivery(output, await client.SendWebhookTestAsync(result.GetValue(institution)!, result.GetValue(webhook)!, ct));
            return CliExit.Ok;
        });
        return test;
    }

    private static Command Deliveries(GlobalOptions global)
    {
        var institution = Institution();
        var webhook = Webhook();
        var page = OperatorCommands.Page();
        var pageSize = OperatorCommands.PageSize();
        var deliveries = new Command("deliveries", "An endpoint's deliveries, newest first: status, attempts, the last answer or error.") { institution, webhook, page, pageSize };
        deliveries.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var found = await client.GetWebhookDeliveriesPageAsync(result.GetValue(institution)!, result.GetValue(webhook)!, result.GetValue(page), result.GetValue(pageSize), ct);
            output.List(found.Items, found.Total, s_deliveryColumns,
                d => [d.DeliveryId, d.EventType, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.NextAttemptAt, d.DeliveredAt, d.CreatedAt],
                "use --page or --page-size for more");
            return CliExit.Ok;
        });
        return deliveries;
    }

    private static Command Replay(GlobalOptions global)
    {
        var institution = Institution();
        var webhook = Webhook();
        var delivery = OperatorCommands.Id("deliveryId", "The delivery's id (whmsg_..., the webhook-id the receiver saw).");
        var replay = new Command("replay", "Send one delivery again, now, with the same webhook-id.") { institution, webhook, delivery };
        replay.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            Delivery(output, await client.ReplayWebhookDeliveryAsync(result.GetValue(institution)!, result.GetValue(webhook)!, result.GetValue(delivery)!, ct));
            return CliExit.Ok;
        });
        return replay;
    }

    private static Command ReplayFailed(GlobalOptions global)
    {
        var institution = Institution();
        var webhook = Webhook();
        var since = new Option<string>("--since")
        {
            Description = "Failed deliveries created since then: a date-time (2026-12-06T08:00:00Z; UTC without an offset) or a time ago (90m, 12h, 3d).",
            Required = true,
        };
        var replayFailed = new Command("replay-failed", "Send again every failed delivery of an endpoint created since a time.") { institution, webhook, since };
        replayFailed.SetOperatorAction(global, async (client, output, result, ct) =>
        {
            var from = ParseSince(result.GetValue(since)!, DateTimeOffset.UtcNow);
            var replayed = await client.ReplayFailedWebhookDeliveriesAsync(result.GetValue(institution)!, result.GetValue(webhook)!, from, ct);
            output.Item(new { replayed, since = from }, ("replayed", replayed), ("failed since", from));
            return CliExit.Ok;
        });
        return replayFailed;
    }

    /// <summary>A point in time given as a date-time (UTC unless it says otherwise) or as a time ago: <c>45s</c>, <c>90m</c>, <c>12h</c>, <c>3d</c>.</summary>
    internal static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        var value = text.Trim();
        if (value.Length >= 2 && char.IsAsciiLetter(value[^1])
            && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? ago = char.ToLowerInvariant(value[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (ago is { } span)
            {
                return now - span;
            }
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }
        throw new CliException(CliExit.Usage, $"--since '{text}' is neither a date-time (2026-12-06T08:00:00Z) nor a time ago (90m, 12h, 3d).");
    }

    private static List<string>? Split(string[]? values) =>
        values is null or { Length: 0 } ? null
        : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static object Events(AdminWebhookEndpoint w) => w.EventTypes is { Count: > 0 } types ? types : "all";

    private static void Endpoint(CliOutput output, AdminWebhookEndpoint w, bool withSecret)
    {
        (string, object?)[] fields =
        [
            ("webhook", w.WebhookBizId), ("institution", w.InstitutionBizId), ("url", w.Url), ("description", w.Description), ("event types", Events(w)),
            ("enabled", w.Enabled), ("disabled reason", w.DisabledReason), ("disabled at", w.DisabledAt), ("failing since", w.FailingSince),
            ("previous secret until", w.PreviousSecretExpiresAt), ("created", w.CreatedAt), ("updated", w.UpdatedAt),
        ];
        if (!withSecret)
        {
            w.Secret = null;
            output.Item(w, fields);
            return;
        }
        output.Item(w, [.. fields, ("secret", w.Secret)]);
        if (!output.Json)
        {
            CliOutput.Out.WriteLine(SecretNote);
        }
    }

    private static void Delivery(CliOutput output, AdminWebhookDelivery d) => output.Item(d,
        ("delivery", d.DeliveryId), ("webhook", d.WebhookBizId), ("event", d.EventBizId), ("type", d.EventType), ("status", d.Status), ("attempts", d.Attempts),
        ("last status", d.LastStatusCode), ("last duration ms", d.LastDurationMs), ("last error", d.LastError), ("last response", d.LastResponseBody),
        ("last attempt", d.LastAttemptAt), ("next attempt", d.NextAttemptAt), ("delivered", d.DeliveredAt), ("created", d.CreatedAt));
}
