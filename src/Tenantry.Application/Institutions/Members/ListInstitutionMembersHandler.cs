using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Members.List;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;

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
    public async Task<Result<Paged<InstitutionMemberView>>> HandleAsync(
        string institutionId, PageRequest page, string? search, Caller caller, CancellationToken cancellationToken)
    {
        var standing = await InstitutionStandings.DecideAsync(db, institutionId, caller, managerOnly: true, cancellationToken);
        if (!standing.IsSuccess)
        {
            return standing.Error;
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
        var items = await Views(db, memberships).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<InstitutionMemberView>(items, page, total);
    }

    /// <summary>The members of <paramref name="memberships"/> with their users, in the order they joined.</summary>
    public static IQueryable<InstitutionMemberView> Views(TenantryDbContext db, IQueryable<InstitutionMembership> memberships) =>
        (from m in memberships
         join u in db.Users on m.UserId equals u.Id
         orderby m.CreatedAt, m.Id
         select new InstitutionMemberView(m.Id, u.Id, u.Email, u.DisplayName, u.EmailVerifiedAt, m.Role, m.CreatedAt, m.UpdatedAt))
        .AsNoTracking();
}
