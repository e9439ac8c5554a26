using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Server.Dialects.SystemApi.Webhooks;

/// <summary>
/// The deliveries in the OpenAPI document (its <c>webhooks</c> section, OpenAPI 3.1): one entry per
/// event type, the Standard Webhooks headers, the <see cref="SystemWebhookPayload"/> schema and a real
/// example body. The examples (WebhookExamples.json, embedded) are bodies the server delivered; the
/// delivery tests check that what it delivers still has their shape, and docs/WEBHOOKS.md shows the same.
/// </summary>
public static class WebhookDocumentation
{
    /// <summary>What each event type means; the OpenAPI summary of its entry.</summary>
    public static IReadOnlyDictionary<string, string> Summaries { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["workspace.created"] = "A workspace was created in the institution (data.workspace)",
        ["workspace.updated"] = "A workspace's name, timezone, kind or extra data changed (details.fields names them)",
        ["workspace.suspended"] = "The operator suspended a workspace (details.from, details.to)",
        ["workspace.reactivated"] = "The operator made a suspended workspace active again",
        ["policy.updated"] = "A workspace's policy (IP allow-list, enforced MFA, invitation transfer) was set or cleared (details.before, details.after)",
        ["member.added"] = "Someone joined a workspace (data.member; details.joinSource, details.invitationBizId)",
        ["member.role_changed"] = "A member's workspace role changed (details.fromRoleName, details.toRoleName)",
        ["member.status_changed"] = "The operator made a membership active or inactive (details.status)",
        ["member.removed"] = "A member was removed from a workspace (ids and details only)",
        ["member.left"] = "A member left a workspace (ids only)",
        ["ownership.transferred"] = "A workspace's ownership moved to another member (details.fromUserBizId, details.toUserBizId)",
        ["default.changed"] = "A member chose this workspace as their default",
        ["organization.left"] = "A member left the institution, and with it its workspaces",
        ["institution.member_role_changed"] = "A member's organization role (Owner, Admin, Member) changed (details.fromRole, details.toRole)",
        ["institution.member_removed"] = "Someone who runs the institution removed a member from it (details.role); member.removed follows for each of its workspaces",
        ["institution.updated"] = "The institution's name or description changed, or an operator changed its settings (details.fields names them)",
        ["invitation.created"] = "Someone was invited to a workspace (data.invitation)",
        ["invitation.revoked"] = "A pending invitation was revoked",
        ["invitation.resent"] = "An invitation was sent again with a new expiry",
        ["invitation.accepted"] = "The invitee accepted (details.via: verified_email or token); member.added follows",
        ["invitation.declined"] = "The invitee declined",
        ["invitation.expired"] = "A pending invitation ran out and was marked expired",
        ["role.created"] = "A custom role was created (data.role)",
        ["role.updated"] = "A custom role's name, description or permissions changed",
        ["role.deleted"] = "A custom role was deleted (ids and details only)",
        [WebhookEventTypes.Test] = "Sent by \"send a test event\", whatever the endpoint subscribes to",
    };

    private static readonly Lazy<JsonObject> s_examples = new(() =>
    {
        using var stream = typeof(WebhookDocumentation).Assembly.GetManifestResourceStream(typeof(WebhookDocumentation).Namespace + ".WebhookExamples.json")
            ?? throw new InvalidOperationException("WebhookExamples.json is not embedded.");
        return JsonNode.Parse(stream)!.AsObject();
    });

    /// <summary>A real delivered body for each event type.</summary>
    public static JsonObject Examples => s_examples.Value;

    private const string Description =
        "POSTed to each enabled endpoint of the institution that subscribes to the type, signed per Standard Webhooks " +
        "(webhook-id, webhook-timestamp, webhook-signature; verify with the endpoint's whsec_ secret). At least once: " +
        "the same webhook-id on every retry and replay. Any 2xx acknowledges; 410 disables the endpoint; anything else, " +
        "or no answer within the timeout, is retried with backoff. See docs/WEBHOOKS.md.";

    public static async Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(SystemWebhookPayload), null, cancellationToken);
        document.AddComponent(nameof(SystemWebhookPayload), schema);
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>(StringComparer.Ordinal);
        foreach (var type in WebhookEventTypes.All.Append(WebhookEventTypes.Test))
        {
            var operation = new OpenApiOperation
            {
                OperationId = "webhook:" + type,
                Summary = Summaries[type],
                Description = Description,
                Parameters =
                [
                    Header("webhook-id", "The delivery's id (whmsg_…): the same on every attempt; receivers use it to ignore duplicates"),
                    Header("webhook-timestamp", "Unix seconds when this attempt was signed"),
                    Header("webhook-signature", "Space-separated v1,<base64 HMAC-SHA256> signatures: one per valid secret (two while a rotated secret overlaps)"),
                ],
                RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                    {
                        ["application/json"] = new()
                        {
                            Schema = new OpenApiSchemaReference(nameof(SystemWebhookPayload), document),
                            Example = Examples[type]!.DeepClone(),
                        },
                    },
                },
                Responses = new OpenApiResponses
                {
                    ["2XX"] = new OpenApiResponse { Description = "Received: the delivery is done" },
                    ["410"] = new OpenApiResponse { Description = "Gone: the endpoint is disabled, nothing more is sent" },
                    ["default"] = new OpenApiResponse { Description = "Anything else (or no answer in time): retried with exponential backoff" },
                },
            };
            document.Webhooks[type] = new OpenApiPathItem { Operations = new() { [HttpMethod.Post] = operation } };
        }
    }

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
