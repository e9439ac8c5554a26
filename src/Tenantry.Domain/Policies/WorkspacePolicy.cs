namespace Tenantry.Domain.Policies;

/// <summary>
/// A workspace's own access policy (<c>policyConfig</c> on the wire). A workspace with no
/// policy has <c>null</c>. The institution's policy applies on top of it.
/// <see cref="AllowInvitationTransfer"/>: whoever holds an invitation's token may accept it with
/// any account, not only with the invited address (off unless set; policies stored before the flag
/// existed read as off).
/// </summary>
public sealed record WorkspacePolicy(IReadOnlyList<string> IpAllowlist, bool EnforceMfa, bool AllowInvitationTransfer = false)
{
    public bool Equals(WorkspacePolicy? other) =>
        other is not null && EnforceMfa == other.EnforceMfa && AllowInvitationTransfer == other.AllowInvitationTransfer
        && IpAllowlist.SequenceEqual(other.IpAllowlist);

    public override int GetHashCode() => HashCode.Combine(EnforceMfa, AllowInvitationTransfer, IpAllowlist.Count);
}
