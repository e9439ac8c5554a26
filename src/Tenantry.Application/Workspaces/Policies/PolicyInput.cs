using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Workspaces.Policies;

/// <summary>
/// A workspace policy as a client sends it (<c>policyConfig</c>): CIDR blocks, the MFA switch and
/// whether an invitation's token may be accepted by an account with another address. The whole
/// policy is replaced: a field left out is off (or empty).
/// </summary>
public sealed record PolicyInput(IReadOnlyList<string?>? IpAllowlist, bool EnforceMfa, bool AllowInvitationTransfer = false)
{
    /// <summary>Canonical form; call only after <see cref="PolicyInputValidator"/> passed.</summary>
    public WorkspacePolicy ToPolicy()
    {
        Domain.Policies.IpAllowlist.TryNormalize(IpAllowlist ?? [], out var blocks, out _);
        return new WorkspacePolicy(blocks, EnforceMfa, AllowInvitationTransfer);
    }
}

public sealed class PolicyInputValidator : AbstractValidator<PolicyInput>
{
    public PolicyInputValidator()
    {
        RuleFor(p => p.IpAllowlist).Must(IpAllowlistRules.WithinLimit).WithErrorCode(ValidationCodes.TooMany)
            .WithState(_ => ValidationRules.Args("max", IpAllowlist.MaxEntries));
        RuleForEach(p => p.IpAllowlist).Must(IpAllowlistRules.IsBlock).WithErrorCode(ValidationCodes.InvalidCidr);
    }
}

public static class IpAllowlistRules
{
    public static bool WithinLimit(IReadOnlyList<string?>? list) => list is null || list.Count <= IpAllowlist.MaxEntries;

    /// <summary>A CIDR block, or a single address.</summary>
    public static bool IsBlock(string? entry) => IpAllowlist.TryParseEntry(entry, out _);
}
