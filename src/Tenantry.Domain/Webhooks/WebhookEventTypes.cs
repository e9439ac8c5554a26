using Tenantry.Domain.Audit;

namespace Tenantry.Domain.Webhooks;

/// <summary>
/// The event types a webhook endpoint can subscribe to: one per audit action, with the same
/// string (the audit trail and the webhooks name a change alike). Stable strings, part of the API.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>Sent by "send a test event"; delivered whatever the endpoint subscribes to, never caused by a change.</summary>
    public const string Test = "webhook.test";

    /// <summary>Every event type, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AuditActions.WorkspaceCreated,
        AuditActions.WorkspaceUpdated,
        AuditActions.WorkspaceSuspended,
        AuditActions.WorkspaceReactivated,
        AuditActions.PolicyUpdated,
        AuditActions.MemberAdded,
        AuditActions.MemberRoleChanged,
        AuditActions.MemberStatusChanged,
        AuditActions.MemberRemoved,
        AuditActions.MemberLeft,
        AuditActions.OwnershipTransferred,
        AuditActions.DefaultChanged,
        AuditActions.InstitutionLeft,
        AuditActions.InstitutionMemberRoleChanged,
        AuditActions.InstitutionMemberRemoved,
        AuditActions.InstitutionUpdated,
        AuditActions.InvitationCreated,
        AuditActions.InvitationRevoked,
        AuditActions.InvitationResent,
        AuditActions.InvitationAccepted,
        AuditActions.InvitationDeclined,
        AuditActions.InvitationExpired,
        AuditActions.RoleCreated,
        AuditActions.RoleUpdated,
        AuditActions.RoleDeleted,
    ];

    /// <summary>
    /// Audit actions that are not delivered: a signing key is no institution's; an operator suspending or resuming
    /// a whole institution is delivered as each workspace's own suspension (workspace.suspended, workspace.reactivated)
    /// rather than as an event of its own; and changes to
    /// the webhook endpoints themselves stay in the audit trail, as with other webhook providers, so an
    /// endpoint never learns of its own (or a sibling's) new URL or secret.
    /// </summary>
    public static IReadOnlyList<string> NotDelivered { get; } =
    [
        AuditActions.InstitutionSuspended,
        AuditActions.InstitutionResumed,
        AuditActions.SigningKeyRotated,
        AuditActions.WebhookEndpointCreated,
        AuditActions.WebhookEndpointUpdated,
        AuditActions.WebhookEndpointDeleted,
        AuditActions.WebhookEndpointSecretRotated,
    ];

    private static readonly HashSet<string> s_known = [.. All];

    public static bool IsKnown(string? type) => type is not null && s_known.Contains(type);

    /// <summary>The event type an audit action is delivered as, or null for an action that is not delivered.</summary>
    public static string? ForAuditAction(string action) => s_known.Contains(action) ? action : null;

    /// <summary>Whether an endpoint subscribed to <paramref name="subscribed"/> (empty: everything) receives <paramref name="type"/>.</summary>
    public static bool Receives(IReadOnlyCollection<string> subscribed, string type) =>
        type == Test || subscribed.Count == 0 || subscribed.Contains(type, StringComparer.Ordinal);

    /// <summary>Catalogue order, no duplicates: how subscriptions are stored and shown.</summary>
    public static List<string> Canonical(IEnumerable<string> types)
    {
        var set = types.ToHashSet(StringComparer.Ordinal);
        return All.Where(set.Contains).ToList();
    }
}
