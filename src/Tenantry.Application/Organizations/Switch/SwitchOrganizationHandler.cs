using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;

namespace Tenantry.Application.Organizations.Switch;

/// <summary>
/// Makes one of the caller's organizations the active one (Wacht <c>switch-organization</c>).
/// The active workspace must lie in the active organization, so a default workspace of
/// another organization is cleared (as Wacht does); one inside it stays. No id clears both.
/// Everything happens under the user's membership lock, so concurrent switches end with
/// exactly one active organization.
/// </summary>
public sealed class SwitchOrganizationHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string? organizationId, Caller caller, CancellationToken cancellationToken)
    {
        var clear = string.IsNullOrEmpty(organizationId);
        if (!clear && !EntityId.LooksValid(organizationId, EntityId.Institution))
        {
            return new NotAnOrganizationMember();
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);
        if (clear)
        {
            await ActiveOrganizations.ClearAsync(db, caller.UserId, now, cancellationToken);
            await DefaultWorkspaces.ClearAsync(db, caller.UserId, now, cancellationToken);
        }
        else
        {
            var membership = await db.OrganizationMemberships
                .FirstOrDefaultAsync(m => m.UserId == caller.UserId && m.InstitutionId == organizationId, cancellationToken);
            if (membership is null)
            {
                return new NotAnOrganizationMember();
            }
            await ActiveOrganizations.MakeActiveAsync(db, membership, now, cancellationToken);
            var defaultElsewhere = await db.WorkspaceMemberships
                .AnyAsync(m => m.UserId == caller.UserId && m.IsDefault && m.InstitutionId != organizationId, cancellationToken);
            if (defaultElsewhere)
            {
                await DefaultWorkspaces.ClearAsync(db, caller.UserId, now, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return Result.Success;
    }
}
