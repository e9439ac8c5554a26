namespace Tenantry.Domain.Policies;

/// <summary>
/// A workspace's own access policy (<c>policyConfig</c> on the wire). A workspace with no
/// policy has <c>null</c>. The institution's policy applies on top of it.
/// </summary>
public sealed record WorkspacePolicy(IReadOnlyList<string> IpAllowlist, bool EnforceMfa)
{
    public bool Equals(WorkspacePolicy? other) =>
        other is not null && EnforceMfa == other.EnforceMfa && IpAllowlist.SequenceEqual(other.IpAllowlist);

    public override int GetHashCode() => HashCode.Combine(EnforceMfa, IpAllowlist.Count);
}
