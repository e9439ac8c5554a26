using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Organizations.ListMine;

/// <summary>One of the caller's organization memberships, with the organization and whether its policies admit this request.</summary>
public sealed record OrganizationMembershipDetail(
    string Id,
    string UserId,
    OrganizationRole Role,
    OrganizationSummary Organization,
    EligibilityDecision Eligibility,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>The caller's organization memberships (Wacht <c>/me/organization-memberships</c>), oldest first.</summary>
public sealed class ListMyOrganizationsHandler(TenantryDbContext db)
{
    public async Task<IReadOnlyList<OrganizationMembershipDetail>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var memberships = await db.OrganizationMemberships.AsNoTracking()
            .Where(m => m.UserId == caller.UserId)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        var manageable = memberships.Where(m => m.CanManage).Select(m => m.InstitutionId).ToHashSet(StringComparer.Ordinal);
        var organizations = await OrganizationSummaries.LoadAsync(db, [.. memberships.Select(m => m.InstitutionId)], manageable, cancellationToken);
        return memberships.Select(m =>
        {
            var organization = organizations[m.InstitutionId];
            return new OrganizationMembershipDetail(
                m.Id, m.UserId, m.Role, organization, OrganizationSummaries.DecideFor(organization, caller), m.CreatedAt, m.UpdatedAt);
        }).ToList();
    }
}
