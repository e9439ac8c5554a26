using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Workspaces.ListMemberships;

/// <summary>
/// The caller's memberships in full, optionally of one institution: the snapshot of
/// <see cref="MembershipSnapshots"/>, kept in <see cref="MyMembershipsCache"/>; what this request
/// may enter is decided per request with <see cref="Eligibility.Decide"/>, like the workspace list
/// (<see cref="ListMine.ListMyWorkspacesHandler"/>, which keeps its own lean query).
/// </summary>
public sealed class ListMyMembershipsHandler(MyMembershipsCache cache, Lazy<TenantryDbContext> db)
{
    public async Task<CallerList<MembershipDetail>> HandleAsync(Caller caller, string? institutionId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(institutionId) && !EntityId.LooksValid(institutionId, EntityId.Institution))
        {
            return new CallerList<MembershipDetail>(() => [], snapshot: null);
        }
        // The request's pooled context is leased only when the cache misses.
        var (snapshot, cached) = await cache.GetAsync(caller, () => MembershipSnapshots.LoadAsync(db.Value, caller.UserId, cancellationToken));
        var filter = string.IsNullOrEmpty(institutionId) ? null : institutionId;
        return new CallerList<MembershipDetail>(() => [.. snapshot.Memberships
            .Where(m => filter is null || m.InstitutionId == filter)
            .Select(m =>
            {
                var institution = snapshot.Institutions[m.InstitutionId];
                var eligibility = Eligibility.Decide(new EligibilityFacts(
                    m.WorkspaceStatus, m.Status, m.Workspace.Policy, institution.IpAllowlist, institution.EnforceMfa, caller.ClientIp, caller.MfaVerified));
                return new MembershipDetail(m.Id, m.UserId, m.Workspace, institution, m.Role, eligibility, m.CreatedAt, m.UpdatedAt);
            })], cached ? snapshot : null);
    }
}
