using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Policies;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Operator.UpdateInstitution;

/// <summary>The operator's partial update of an institution (CONTRACT 7). Its policies apply to all of its workspaces.</summary>
public sealed record AdminUpdateInstitutionCommand(
    Optional<string?> Name,
    Optional<string?> Slug,
    Optional<string?> PublicMetadata,
    Optional<string?> PrivateMetadata,
    Optional<bool?> EnforceMfa,
    Optional<IReadOnlyList<string?>?> IpAllowlist,
    Optional<string?> AutoAssignedWorkspaceBizId);

public sealed class AdminUpdateInstitutionValidator : AbstractValidator<AdminUpdateInstitutionCommand>
{
    public AdminUpdateInstitutionValidator()
    {
        When(c => c.Name.HasValue, () =>
            RuleFor(c => c.Name.Value).Required().MaxChars(Institution.MaxNameLength).SingleLineText());
        When(c => c.Slug is { HasValue: true, Value: not null }, () =>
            RuleFor(c => c.Slug.Value).Must(Slugs.IsValid).WithErrorCode(ValidationCodes.InvalidSlug));
        When(c => c.PublicMetadata.HasValue, () =>
            RuleFor(c => c.PublicMetadata.Value).JsonObject());
        When(c => c.PrivateMetadata.HasValue, () =>
            RuleFor(c => c.PrivateMetadata.Value).JsonObject());
        When(c => c.EnforceMfa.HasValue, () =>
            RuleFor(c => c.EnforceMfa.Value).NotNull().WithErrorCode(ValidationCodes.Required));
        When(c => c.IpAllowlist.HasValue, () =>
        {
            RuleFor(c => c.IpAllowlist.Value).Must(IpAllowlistRules.WithinLimit).WithErrorCode(ValidationCodes.TooMany)
                .WithState(_ => ValidationRules.Args("max", Domain.Policies.IpAllowlist.MaxEntries));
            RuleForEach(c => c.IpAllowlist.Value).Must(IpAllowlistRules.IsBlock).WithErrorCode(ValidationCodes.InvalidCidr);
        });
    }
}
