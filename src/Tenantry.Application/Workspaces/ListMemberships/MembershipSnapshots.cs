using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Institutions;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.ListMemberships;

/// <summary>
/// The queries behind the full membership view: everything about a user's memberships but a
/// request's eligibility, read in seven queries whatever the number of memberships (memberships,
/// their workspaces and roles (<see cref="MembershipsOfUsers"/>), the user's institution
/// memberships, workspace segments, institutions, their segments), for one user or for several
/// at once (background refreshes of <see cref="MyMembershipsCache"/>).
/// </summary>
public static class MembershipSnapshots
{
    /// <summary>Everything about the user's memberships but this request's eligibility, straight from the database.</summary>
    public static async Task<MembershipSnapshot> LoadAsync(TenantryDbContext db, string userId, CancellationToken cancellationToken) =>
        (await LoadManyAsync(db, [userId], cancellationToken))[userId];

    /// <summary>
    /// <see cref="LoadAsync"/> for several users at once, in the same seven queries (background
    /// refreshes of the cache); every user asked for is in the answer.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, MembershipSnapshot>> LoadManyAsync(
        TenantryDbContext db, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        var rows = await MembershipsOfUsers.LoadAsync(db, userIds, cancellationToken);
        var institutionMemberships = (await db.InstitutionMemberships.AsNoTracking().Where(o => userIds.Contains(o.UserId)).ToListAsync(cancellationToken))
            .ToLookup(o => o.UserId);

        var workspaceIds = rows.Select(r => r.Workspace.Id).Distinct().ToList();
        var workspaceSegments = workspaceIds.Count == 0 ? Enumerable.Empty<SegmentSummary>().ToLookup(_ => string.Empty) : (await (
                    from link in db.WorkspaceSegments
                    where workspaceIds.Contains(link.WorkspaceId)
                    join s in db.Segments on link.SegmentId equals s.Id
                    orderby s.Name
                    select new { link.WorkspaceId, Segment = new SegmentSummary(s.Id, s.Name, s.Type, s.CreatedAt, s.UpdatedAt) })
                .ToListAsync(cancellationToken))
            .ToLookup(s => s.WorkspaceId, s => s.Segment);
        var institutionIds = rows.Select(r => r.Membership.InstitutionId).Distinct().ToList();
        // Read as for a manager; each viewer who may not manage gets the private metadata blanked below.
        var summaries = await InstitutionSummaries.LoadAsync(db, institutionIds, institutionIds.ToHashSet(StringComparer.Ordinal), cancellationToken);

        var rowsOfUser = rows.ToLookup(r => r.Membership.UserId);
        var snapshots = new Dictionary<string, MembershipSnapshot>();
        foreach (var userId in userIds.Distinct())
        {
            var own = rowsOfUser[userId].ToList();
            var institutionMembershipsOfUser = institutionMemberships[userId].ToList();
            var defaultMembership = own.Select(r => r.Membership).FirstOrDefault(m => m.IsDefault);
            var active = ActiveInstitutions.Decide(
                defaultMembership is null ? null : (defaultMembership.Id, defaultMembership.InstitutionId),
                institutionMembershipsOfUser.Select(o => (o.Id, o.InstitutionId, o.IsActive)));
            var manageable = institutionMembershipsOfUser.Where(o => o.CanManage).Select(o => o.InstitutionId).ToHashSet(StringComparer.Ordinal);
            var institutions = own.Select(r => r.Membership.InstitutionId).Distinct().ToDictionary(id => id, id =>
                manageable.Contains(id) ? summaries[id] : summaries[id] with { PrivateMetadata = JsonText.EmptyObject });
            var memberships = own.Select(row =>
            {
                var (m, w, r) = (row.Membership, row.Workspace, row.Role);
                var standing = new WorkspaceStanding(w.Id, m.InstitutionId, m.Id, r.Id, r.IsOwner, m.Status, r.Permissions);
                var workspace = new WorkspaceSummary(
                    w.Id, w.Name, w.Slug, w.ImageUrl, w.Description, w.MemberCount, w.PublicMetadata,
                    standing.Grants(Domain.Memberships.Permissions.WorkspaceUpdate) ? w.PrivateMetadata : JsonText.EmptyObject,
                    w.Policy, w.CreatedAt, w.UpdatedAt, [.. workspaceSegments[w.Id]]);
                var role = new RoleSummary(r.Id, r.Name, Domain.Memberships.Permissions.Canonical(r.Permissions), r.CreatedAt, r.UpdatedAt);
                return new MembershipParts(m.Id, m.UserId, m.InstitutionId, workspace, w.Status, role, m.Status, m.CreatedAt, m.UpdatedAt);
            }).ToArray();
            snapshots[userId] = new MembershipSnapshot(memberships, institutions, active);
        }
        return snapshots;
    }
}

/// <summary>One membership as the full view shows it, but for the eligibility of a request.</summary>
public sealed record MembershipParts(
    string Id, string UserId, string InstitutionId, WorkspaceSummary Workspace, WorkspaceStatus WorkspaceStatus,
    RoleSummary Role, MembershipStatus Status, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>What <see cref="MyMembershipsCache"/> keeps per user: their memberships and which ones are active (the session's active institution and workspace).</summary>
public sealed record MembershipSnapshot(
    MembershipParts[] Memberships, IReadOnlyDictionary<string, InstitutionSummary> Institutions, ActiveMemberships Active);
