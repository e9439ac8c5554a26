using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Institutions;

/// <summary>
/// The caller's standing in an institution, as every organization-level use case decides it: anyone who is not a member gets
/// <see cref="NotFound"/> (an institution never reveals that it exists), a request the institution's own policies (IP
/// allow-list, enforced MFA) do not admit <see cref="NotEnterable"/>, and, where the use case needs someone who runs the
/// institution, a Member <see cref="PermissionDenied"/>. A use case that changes something asks again after it took the
/// institution lock, and gets the membership tracked.
/// </summary>
public static class InstitutionStandings
{
    public static async Task<Result<InstitutionMembership>> DecideAsync(
        TenantryDbContext db, string institutionId, Caller caller, bool managerOnly, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(institutionId, EntityId.Institution))
        {
            return new NotFound();
        }
        var standing = await (
                from m in db.InstitutionMemberships
                where m.InstitutionId == institutionId && m.UserId == caller.UserId
                join i in db.Institutions on m.InstitutionId equals i.Id
                select new { Membership = m, i.IpAllowlist, i.EnforceMfa })
            .FirstOrDefaultAsync(cancellationToken);
        if (standing is null)
        {
            return new NotFound();
        }
        var decision = Eligibility.Decide(new EligibilityFacts(
            WorkspaceStatus.Active, MembershipStatus.Active, WorkspacePolicy: null, standing.IpAllowlist, standing.EnforceMfa, caller.ClientIp, caller.MfaVerified));
        if (!decision.Enterable)
        {
            return new NotEnterable(decision.Restriction);
        }
        if (managerOnly && !standing.Membership.CanManage)
        {
            return new PermissionDenied(InstitutionRoles.ManagePermission);
        }
        return standing.Membership;
    }

    /// <summary>
    /// For a change by someone who runs the institution: takes the institution lock in the caller's transaction (before any
    /// other lock), then decides the standing on what is committed.
    /// </summary>
    public static async Task<Result<InstitutionMembership>> LockForManagerAsync(
        TenantryDbContext db, string institutionId, Caller caller, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(institutionId, EntityId.Institution) || !await db.LockInstitutionAsync(institutionId, cancellationToken))
        {
            return new NotFound();
        }
        return await DecideAsync(db, institutionId, caller, managerOnly: true, cancellationToken);
    }

    /// <summary>True when <paramref name="membership"/> may not go or be demoted because nobody else could run the institution (<see cref="InstitutionManagers"/>).</summary>
    public static async Task<bool> IsIndispensableAsync(TenantryDbContext db, InstitutionMembership membership, CancellationToken cancellationToken)
    {
        var otherRoles = await db.InstitutionMemberships
            .Where(m => m.InstitutionId == membership.InstitutionId && m.Id != membership.Id)
            .Select(m => m.Role)
            .Distinct()
            .ToListAsync(cancellationToken);
        return InstitutionManagers.IsIndispensable(membership.Role, otherRoles);
    }
}
