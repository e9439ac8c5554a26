using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Members.List;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Institutions.Members;

/// <summary>One member of an institution as its managers see them.</summary>
public sealed record InstitutionMemberView(
    string MembershipId, string UserId, string Email, string DisplayName, DateTime? EmailVerifiedAt, InstitutionRole Role, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// A page of an institution's members, in the order they joined, for those who run it (Owner or Admin): anyone else who is
/// not a member gets <see cref="NotFound"/> (an institution never reveals that it exists), a member <see cref="PermissionDenied"/>,
/// and a request the institution's own policies (IP allow-list, enforced MFA) do not admit <see cref="NotEnterable"/>.
/// </summary>
public sealed class ListInstitutionMembersHandler(TenantryDbContext db)
{
    /// <summary>The permission a member lacks when they do not run the institution (Wacht's organization permission).</summary>
    public const string ManagePermission = "organization:manage";

    public async Task<Result<Paged<InstitutionMemberView>>> HandleAsync(
        string institutionId, PageRequest page, string? search, Caller caller, CancellationToken cancellationToken)
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
            .AsNoTracking().FirstOrDefaultAsync(cancellationToken);
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
        if (!standing.Membership.CanManage)
        {
            return new PermissionDenied(ManagePermission);
        }

        var text = search?.Trim();
        var lowered = string.IsNullOrEmpty(text) ? null : text[..Math.Min(text.Length, ListMembersHandler.MaxSearchLength)].ToLowerInvariant();
        var memberships = db.InstitutionMemberships.Where(m => m.InstitutionId == institutionId);
        if (lowered is not null)
        {
            memberships = memberships.Where(m => db.Users.Any(u => u.Id == m.UserId
                && (u.NormalizedEmail.Contains(lowered) || u.DisplayName.ToLower().Contains(lowered))));
        }
        var total = await memberships.CountAsync(cancellationToken);
        var items = await (
                from m in memberships
                join u in db.Users on m.UserId equals u.Id
                orderby m.CreatedAt, m.Id
                select new InstitutionMemberView(m.Id, u.Id, u.Email, u.DisplayName, u.EmailVerifiedAt, m.Role, m.CreatedAt, m.UpdatedAt))
            .Skip(page.Skip).Take(page.PageSize).AsNoTracking().ToListAsync(cancellationToken);
        return new Paged<InstitutionMemberView>(items, page, total);
    }
}
