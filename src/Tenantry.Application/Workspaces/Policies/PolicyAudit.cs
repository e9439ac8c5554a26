using Tenantry.Application.Common;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Workspaces.Policies;

/// <summary>The details of a <c>policy.updated</c> audit event: the policy before and after, as clients write <c>policyConfig</c>.</summary>
public static class PolicyAudit
{
    public static string Details(WorkspacePolicy? before, WorkspacePolicy? after) => AuditDetails.Of(("before", Shown(before)), ("after", Shown(after)));

    private static Dictionary<string, object>? Shown(WorkspacePolicy? policy) => policy is null
        ? null
        : new Dictionary<string, object>
        {
            ["ipAllowlist"] = policy.IpAllowlist,
            ["enforceMfa"] = policy.EnforceMfa,
            ["allowInvitationTransfer"] = policy.AllowInvitationTransfer,
        };
}
