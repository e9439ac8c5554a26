using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Application.Organizations;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.ListMemberships;

/// <summary>A workspace as one of its members sees it; <see cref="PrivateMetadata"/> is the empty object unless they may change the workspace.</summary>
public sealed record WorkspaceSummary(
    string Id,
    string Name,
    string? Slug,
    string? ImageUrl,
    string? Description,
    int MemberCount,
    string PublicMetadata,
    string PrivateMetadata,
    WorkspacePolicy? Policy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<SegmentSummary> Segments);

public sealed record RoleSummary(string Id, string Name, IReadOnlyList<string> Permissions, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// One of the caller's workspace memberships with everything around it: the workspace, its
/// organization, the roles and their permissions (flat, catalogue order), and whether this
/// request may enter it (<see cref="Eligibility"/>, the same decision as SYSTEM <c>enterable</c>).
/// </summary>
public sealed record MembershipDetail(
    string Id,
    string UserId,
    WorkspaceSummary Workspace,
    OrganizationSummary Organization,
    IReadOnlyList<RoleSummary> Roles,
    IReadOnlyList<string> Permissions,
    EligibilityDecision Eligibility,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>
/// The caller's memberships in full (Wacht <c>/me/workspace-memberships</c>), optionally of one
/// organization. Read in seven queries whatever the number of memberships (memberships, their
/// workspaces and roles (<see cref="MembershipsOfUsers"/>), the caller's organization memberships,
/// workspace segments, organizations, their segments) and kept in <see cref="MyMembershipsCache"/>, with the
/// renderings of the list; what this request may enter is decided per request, with <see cref="Domain.Policies.Eligibility.Decide"/>
/// like the SYSTEM list (<see cref="ListMine.ListMyWorkspacesHandler"/>, which keeps its own lean query).
/// </summary>
public sealed class ListMyMembershipsHandler(IServiceProvider services, MyMembershipsCache cache)
{
    public async Task<RenderableList<MembershipDetail>> HandleAsync(Caller caller, string? organizationId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(organizationId) && !EntityId.LooksValid(organizationId, EntityId.Institution))
        {
            return new RenderableList<MembershipDetail>(() => [], caller, renderings: null);
        }
        var (snapshot, renderings) = await cache.GetAsync(caller, () => LoadAsync(services.GetRequiredService<TenantryDbContext>(), caller.UserId, cancellationToken));
        var filter = string.IsNullOrEmpty(organizationId) ? null : organizationId;
        return new RenderableList<MembershipDetail>(() => [.. snapshot.Memberships
            .Where(m => filter is null || m.InstitutionId == filter)
            .Select(m =>
            {
                var organization = snapshot.Organizations[m.InstitutionId];
                var eligibility = Eligibility.Decide(new EligibilityFacts(
                    m.WorkspaceStatus, m.Status, m.Workspace.Policy, organization.IpAllowlist, organization.EnforceMfa, caller.ClientIp, caller.MfaVerified));
                return new MembershipDetail(
                    m.Id, m.UserId, m.Workspace, organization, [m.Role], m.Role.Permissions, eligibility, m.CreatedAt, m.UpdatedAt);
            })], caller, renderings);
    }

    /// <summary>Everything about the user's memberships but this request's eligibility, straight from the database.</summary>
    internal static async Task<MembershipSnapshot> LoadAsync(TenantryDbContext db, string userId, CancellationToken cancellationToken) =>
        (await LoadManyAsync(db, [userId], cancellationToken))[userId];

    /// <summary>
    /// <see cref="LoadAsync"/> for several users at once, in the same seven queries (background
    /// refreshes of the cache); every user asked for is in the answer.
    /// </summary>
    internal static async Task<IReadOnlyDictionary<string, MembershipSnapshot>> LoadManyAsync(
        TenantryDbContext db, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        var rows = await MembershipsOfUsers.LoadAsync(db, userIds, cancellationToken);
        var organizationMemberships = (await db.OrganizationMemberships.AsNoTracking().Where(o => userIds.Contains(o.UserId)).ToListAsync(cancellationToken))
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
        var institutions = await OrganizationSummaries.LoadAsync(db, institutionIds, institutionIds.ToHashSet(StringComparer.Ordinal), cancellationToken);

        var rowsOfUser = rows.ToLookup(r => r.Membership.UserId);
        var snapshots = new Dictionary<string, MembershipSnapshot>();
        foreach (var userId in userIds.Distinct())
        {
            var own = rowsOfUser[userId].ToList();
            var organizationsOfUser = organizationMemberships[userId].ToList();
            var defaultMembership = own.Select(r => r.Membership).FirstOrDefault(m => m.IsDefault);
            var active = ActiveOrganizations.Decide(
                defaultMembership is null ? null : (defaultMembership.Id, defaultMembership.InstitutionId),
                organizationsOfUser.Select(o => (o.Id, o.InstitutionId, o.IsActive)));
            var manageable = organizationsOfUser.Where(o => o.CanManage).Select(o => o.InstitutionId).ToHashSet(StringComparer.Ordinal);
            var organizations = own.Select(r => r.Membership.InstitutionId).Distinct().ToDictionary(id => id, id =>
                manageable.Contains(id) ? institutions[id] : institutions[id] with { PrivateMetadata = JsonText.EmptyObject });
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
            snapshots[userId] = new MembershipSnapshot(memberships, organizations, active);
        }
        return snapshots;
    }
}

/// <summary>One membership as the full view shows it, but for the eligibility of a request.</summary>
internal sealed record MembershipParts(
    string Id, string UserId, string InstitutionId, WorkspaceSummary Workspace, WorkspaceStatus WorkspaceStatus,
    RoleSummary Role, MembershipStatus Status, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>What <see cref="MyMembershipsCache"/> keeps per user: their memberships and which ones are active (the Wacht session view).</summary>
internal sealed record MembershipSnapshot(
    MembershipParts[] Memberships, IReadOnlyDictionary<string, OrganizationSummary> Organizations, ActiveMemberships Active);
