using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;

namespace Tenantry.Application.Institutions.Update;

/// <summary>
/// A member's partial update of their institution. The policies (<paramref name="EnforceMfa"/>, <paramref name="IpAllowlist"/>:
/// empty means no restriction, <paramref name="AutoAssignedWorkspaceId"/>: empty means none) are the operator's: null when not
/// sent, and accepted only with the value they already have (front ends send the whole settings form at once).
/// </summary>
public sealed record UpdateInstitutionCommand(
    Optional<string?> Name,
    Optional<string?> Description,
    bool? EnforceMfa = null,
    IReadOnlyList<string?>? IpAllowlist = null,
    string? AutoAssignedWorkspaceId = null);

public sealed class UpdateInstitutionValidator : AbstractValidator<UpdateInstitutionCommand>
{
    public UpdateInstitutionValidator()
    {
        // As the operator's update validates a name.
        When(c => c.Name.HasValue, () =>
            RuleFor(c => c.Name.Value).Required().MaxChars(Institution.MaxNameLength).SingleLineText());
        When(c => c.Description.HasValue, () =>
            RuleFor(c => c.Description.Value).MaxChars(Institution.MaxDescriptionLength));
    }
}
