using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Institutions.ListMine;

/// <summary>One of the caller's institution memberships, with the institution and whether its policies admit this request.</summary>
public sealed record InstitutionMembershipDetail(
    string Id,
    string UserId,
    InstitutionRole Role,
    InstitutionSummary Institution,
    EligibilityDecision Eligibility,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>The caller's institution memberships (Wacht <c>/me/organization-memberships</c>), oldest first.</summary>
public sealed class ListMyInstitutionsHandler(TenantryDbContext db)
{
    public async Task<IReadOnlyList<InstitutionMembershipDetail>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var memberships = await db.InstitutionMemberships.AsNoTracking()
            .Where(m => m.UserId == caller.UserId)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        var manageable = memberships.Where(m => m.CanManage).Select(m => m.InstitutionId).ToHashSet(StringComparer.Ordinal);
        var institutions = await InstitutionSummaries.LoadAsync(db, [.. memberships.Select(m => m.InstitutionId)], manageable, cancellationToken);
        return memberships.Select(m =>
        {
            var institution = institutions[m.InstitutionId];
            return new InstitutionMembershipDetail(
                m.Id, m.UserId, m.Role, institution, InstitutionSummaries.DecideFor(institution, caller), m.CreatedAt, m.UpdatedAt);
        }).ToList();
    }
}
