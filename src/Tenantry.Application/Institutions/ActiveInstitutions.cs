using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Institutions;

namespace Tenantry.Application.Institutions;

/// <summary>What a user is working in right now: one workspace membership and one institution membership, either may be none.</summary>
public sealed record ActiveMemberships(string? InstitutionMembershipId, string? WorkspaceMembershipId);

/// <summary>
/// The rules of the active institution (Wacht <c>active_organization_membership_id</c>).
/// The active workspace is the default workspace (<see cref="Workspaces.Memberships.DefaultWorkspaces"/>);
/// the active institution is the institution of that workspace, and only when the user has
/// no default workspace is it the one they last switched to (stored as <c>IsActive</c>, at
/// most one per user, held by a partial unique index). Deriving it this way keeps the pair
/// consistent whichever dialect or use case moved the default. Writers hold the user's
/// membership lock (<see cref="RowLocks.LockUserMembershipsAsync"/>).
/// </summary>
public static class ActiveInstitutions
{
    /// <summary>The rule, over the user's default workspace membership (if any) and all their institution memberships.</summary>
    public static ActiveMemberships Decide(
        (string Id, string InstitutionId)? defaultMembership, IEnumerable<(string Id, string InstitutionId, bool IsActive)> institutionMemberships)
    {
        var institutionOfDefault = defaultMembership?.InstitutionId;
        foreach (var membership in institutionMemberships)
        {
            if (institutionOfDefault is null ? membership.IsActive : membership.InstitutionId == institutionOfDefault)
            {
                return new ActiveMemberships(membership.Id, defaultMembership?.Id);
            }
        }
        return new ActiveMemberships(null, defaultMembership?.Id);
    }

    /// <summary>Makes <paramref name="membership"/> the user's only active institution, within the caller's transaction.</summary>
    public static async Task MakeActiveAsync(TenantryDbContext db, InstitutionMembership membership, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ClearAsync(db, membership.UserId, now, cancellationToken, except: membership.Id);
        if (!membership.IsActive)
        {
            membership.SetActive(true, now);
        }
    }

    public static Task<int> ClearAsync(TenantryDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken, string? except = null) =>
        db.InstitutionMemberships
            .Where(m => m.UserId == userId && m.IsActive && m.Id != except)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.IsActive, false).SetProperty(x => x.UpdatedAt, now.UtcDateTime), cancellationToken);

    /// <summary>
    /// After the default workspace changed: the institution of the (new) default becomes the
    /// stored active one, so it stays active if the default later goes away. Reads the default
    /// under the caller's lock, so of two racing switches the later one decides both.
    /// </summary>
    public static async Task FollowDefaultWorkspaceAsync(TenantryDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var institutionId = await db.WorkspaceMemberships
            .Where(m => m.UserId == userId && m.IsDefault)
            .Select(m => m.InstitutionId)
            .FirstOrDefaultAsync(cancellationToken);
        if (institutionId is null)
        {
            return;
        }
        var membership = await db.InstitutionMemberships.FirstOrDefaultAsync(m => m.UserId == userId && m.InstitutionId == institutionId, cancellationToken);
        if (membership is null)
        {
            await ClearAsync(db, userId, now, cancellationToken);
            return;
        }
        await MakeActiveAsync(db, membership, now, cancellationToken);
    }
}
