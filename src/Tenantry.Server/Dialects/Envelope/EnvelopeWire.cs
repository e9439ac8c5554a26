using Tenantry.Domain.Policies;

namespace Tenantry.Server.Dialects.Envelope;

// Wire shapes the envelope dialects (SYSTEM, operator) share (camelCase). Property order is
// the order of the seeds.

/// <summary>An enum in the workspace detail (seed 001): <c>{value, name, code}</c> with name equal to code.</summary>
public sealed record EnumRef(int Value, string Name, string Code);

/// <summary>One problem of a <c>4000</c> answer.</summary>
public sealed record FieldProblem(string Field, string Message);

/// <summary>The <c>data</c> of a refusal that says why in a machine-readable code (<c>WORKSPACE.NOT_ENTERABLE</c>: <c>{"reason":"MFA_REQUIRED"}</c>).</summary>
public sealed record ErrorReason(string Reason);

/// <summary>
/// <c>policyConfig</c> as SYSTEM list items show it: <c>null</c>, or the allow-list and the MFA flag,
/// exactly CONTRACT 5's shape (the invitation-transfer flag is shown by the operator API).
/// </summary>
public sealed record PolicyConfig(IReadOnlyList<string> IpAllowlist, bool EnforceMfa)
{
    public static PolicyConfig? From(WorkspacePolicy? policy) => policy is null ? null : new(policy.IpAllowlist, policy.EnforceMfa);
}

/// <summary><c>policyConfig</c> as clients send it; it replaces the whole policy (a field left out is off or empty).</summary>
public sealed record PolicyConfigRequest(List<string?>? IpAllowlist, bool? EnforceMfa, bool? AllowInvitationTransfer = null)
{
    public Application.Workspaces.Policies.PolicyInput ToInput() => new(IpAllowlist, EnforceMfa ?? false, AllowInvitationTransfer ?? false);
}

/// <summary>The envelope as documented in OpenAPI; answers are written by <see cref="EnvelopeWriter"/>.</summary>
public sealed record EnvelopeDoc<T>(string Version, long Timestamp, bool Success, string Code, string Message, T? Data);
