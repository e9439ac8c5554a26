using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Institutions.Members;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;

namespace Tenantry.Application.Institutions.ChangeMemberRole;

/// <summary>Give a member <paramref name="Role"/>, or (<paramref name="TakeAway"/>) take it away from them.</summary>
public sealed record InstitutionRoleChange(InstitutionRole Role, bool TakeAway);

/// <summary>
/// Changes a member's organization role (Wacht's <c>.../members/{id}/roles/{role}/add|remove</c>) by
/// <see cref="InstitutionRoles"/>' rules. Two managers demoting each other at once cannot leave the institution without
/// an Owner: the institution lock serializes them, and each decides its caller's standing and the last-owner rule again
/// under it, on what the other committed. The user lock follows (their membership lists show the role).
/// </summary>
public sealed class ChangeInstitutionMemberRoleHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result<InstitutionMemberView>> HandleAsync(
        string institutionId, string membershipId, InstitutionRoleChange change, Caller caller, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Result<InstitutionMemberView>>(async transaction =>
        {
            var standing = await InstitutionStandings.LockForManagerAsync(db, institutionId, caller, cancellationToken);
            if (!standing.IsSuccess)
            {
                return standing.Error;
            }
            var member = EntityId.LooksValid(membershipId, EntityId.InstitutionMembership)
                ? await db.InstitutionMemberships.FirstOrDefaultAsync(m => m.Id == membershipId && m.InstitutionId == institutionId, cancellationToken)
                : null;
            if (member is null)
            {
                return new NotFound();
            }
            var from = member.Role;
            var to = change.TakeAway ? InstitutionRoles.AfterRemoving(from, change.Role) : Result<InstitutionRole>.Success(change.Role);
            if (!to.IsSuccess)
            {
                return to.Error;
            }
            if (to.Value != from)
            {
                if (InstitutionRoles.MayChange(standing.Value.Role, from, to.Value) is { } refused)
                {
                    return refused;
                }
                if (InstitutionRoles.IsDemotion(from, to.Value) && await InstitutionStandings.IsIndispensableAsync(db, member, cancellationToken))
                {
                    return new LastInstitutionOwner();
                }
                var now = clock.GetUtcNow();
                await db.LockUserMembershipsAsync(member.UserId, cancellationToken);
                member.ChangeRole(to.Value, now);
                db.AuditEvents.Add(AuditEvent.Record(institutionId, null, caller.UserId, AuditActions.InstitutionMemberRoleChanged,
                    AuditTargets.Member, member.UserId, caller.ClientIpText, AuditDetails.Of(("fromRole", from.ToString()), ("toRole", to.Value.ToString())), now));
                await db.SaveChangesAsync(cancellationToken);
            }
            var view = await ListInstitutionMembersHandler.Views(db, db.InstitutionMemberships.Where(m => m.Id == member.Id)).FirstAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return view;
        }, cancellationToken);
    }
}
