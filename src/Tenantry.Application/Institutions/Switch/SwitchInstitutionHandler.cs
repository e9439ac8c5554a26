using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;

namespace Tenantry.Application.Institutions.Switch;

/// <summary>
/// Makes one of the caller's institutions the active one (Wacht <c>switch-organization</c>).
/// The active workspace must lie in the active institution, so a default workspace of
/// another institution is cleared (as Wacht does); one inside it stays. No id clears both.
/// Everything happens under the user's membership lock, so concurrent switches end with
/// exactly one active institution.
/// </summary>
public sealed class SwitchInstitutionHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string? institutionId, Caller caller, CancellationToken cancellationToken)
    {
        var clear = string.IsNullOrEmpty(institutionId);
        if (!clear && !EntityId.LooksValid(institutionId, EntityId.Institution))
        {
            return new NotAnInstitutionMember();
        }
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);
            if (clear)
            {
                await ActiveInstitutions.ClearAsync(db, caller.UserId, now, cancellationToken);
                await DefaultWorkspaces.ClearAsync(db, caller.UserId, now, cancellationToken);
            }
            else
            {
                var membership = await db.InstitutionMemberships
                    .FirstOrDefaultAsync(m => m.UserId == caller.UserId && m.InstitutionId == institutionId, cancellationToken);
                if (membership is null)
                {
                    return new NotAnInstitutionMember();
                }
                await ActiveInstitutions.MakeActiveAsync(db, membership, now, cancellationToken);
                var defaultElsewhere = await db.WorkspaceMemberships
                    .AnyAsync(m => m.UserId == caller.UserId && m.IsDefault && m.InstitutionId != institutionId, cancellationToken);
                if (defaultElsewhere)
                {
                    await DefaultWorkspaces.ClearAsync(db, caller.UserId, now, cancellationToken);
                }
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
