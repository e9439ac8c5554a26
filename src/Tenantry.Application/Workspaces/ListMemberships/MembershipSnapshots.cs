using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Institutions;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.ListMemberships;

/// <summary>
/// The queries behind the full membership view: everything about a user's memberships but a
/// request's eligibility, read for one user (a request's miss) in three queries whatever the number
/// of memberships:
/// <list type="number">
/// <item>the workspace memberships joined to their workspaces, roles and institutions;</item>
/// <item>the users' institution memberships (the active institution and who may manage which);</item>
/// <item>the segments of those workspaces and institutions (none read when there is no membership).</item>
/// </list>
/// On Citus each is a one-shard plan: the first two name the distribution column of a table placed by
/// user and join it to reference tables only, the third reads reference tables only. Several users at
/// once (background refreshes of <see cref="MyMembershipsCache"/>) read the first by key instead
/// (<see cref="RowsByKeyAsync"/>): six queries for the whole batch.
/// </summary>
public static class MembershipSnapshots
{
    // Compiled: the shapes are fixed and a miss is a request's cold path, so EF Core's translation
    // cache lookup and parameter extraction are done once, not on every miss.
    private static readonly Func<TenantryDbContext, string[], IAsyncEnumerable<MembershipRow>> s_memberships =
        EF.CompileAsyncQuery((TenantryDbContext ctx, string[] userIds) =>
            from m in ctx.WorkspaceMemberships
            where userIds.Contains(m.UserId)
            // Inner joins: a workspace or role deleted meanwhile takes its membership out of the answer,
            // and the deletion's change notice drops the cached entry anyway.
            join w in ctx.Workspaces on m.WorkspaceId equals w.Id
            join r in ctx.WorkspaceRoles on m.RoleId equals r.Id
            join i in ctx.Institutions on m.InstitutionId equals i.Id
            orderby m.UserId, m.CreatedAt, m.Id
            select new MembershipRow(
                m.Id, m.UserId, m.IsDefault, m.Status, m.CreatedAt, m.UpdatedAt,
                new WorkspaceRow(
                    w.Id, w.Name, w.Slug, w.ImageUrl, w.Description, w.MemberCount, w.PublicMetadata, w.PrivateMetadata,
                    w.Policy, w.Status, w.CreatedAt, w.UpdatedAt),
                new RoleRow(r.Id, r.Name, r.BuiltIn, r.Permissions, r.CreatedAt, r.UpdatedAt),
                new InstitutionRow(
                    i.Id, i.Name, i.Slug, i.ImageUrl, i.Description, i.MemberCount, i.PublicMetadata, i.PrivateMetadata,
                    i.EnforceMfa, i.IpAllowlist, i.AutoAssignedWorkspaceId, i.CreatedAt, i.UpdatedAt)));

    private static readonly Func<TenantryDbContext, string[], IAsyncEnumerable<InstitutionMembershipRow>> s_institutionMemberships =
        EF.CompileAsyncQuery((TenantryDbContext ctx, string[] userIds) =>
            from o in ctx.InstitutionMemberships
            where userIds.Contains(o.UserId)
            select new InstitutionMembershipRow(o.Id, o.UserId, o.InstitutionId, o.Role, o.IsActive));

    // Workspace and institution ids never collide (their prefixes differ), so one list keyed by owner serves both.
    private static readonly Func<TenantryDbContext, string[], string[], IAsyncEnumerable<SegmentRow>> s_segments =
        EF.CompileAsyncQuery<TenantryDbContext, string[], string[], SegmentRow>((ctx, workspaceIds, institutionIds) =>
            (from link in ctx.WorkspaceSegments
             where workspaceIds.Contains(link.WorkspaceId)
             join s in ctx.Segments on link.SegmentId equals s.Id
             select new SegmentRow { OwnerId = link.WorkspaceId, Id = s.Id, Name = s.Name, Type = s.Type, CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt })
            .Concat(
                from link in ctx.InstitutionSegments
                where institutionIds.Contains(link.InstitutionId)
                join s in ctx.Segments on link.SegmentId equals s.Id
                select new SegmentRow { OwnerId = link.InstitutionId, Id = s.Id, Name = s.Name, Type = s.Type, CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt })
            .OrderBy(s => s.Name).ThenBy(s => s.Id));

    /// <summary>Everything about the user's memberships but this request's eligibility, straight from the database.</summary>
    public static async Task<MembershipSnapshot> LoadAsync(TenantryDbContext db, string userId, CancellationToken cancellationToken) =>
        (await LoadManyAsync(db, [userId], cancellationToken))[userId];

    /// <summary>
    /// <see cref="LoadAsync"/> for several users at once (background refreshes of the cache), in six
    /// queries whatever their number; every user asked for is in the answer.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, MembershipSnapshot>> LoadManyAsync(
        TenantryDbContext db, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        var distinctUserIds = userIds.Distinct().ToArray();
        var rows = distinctUserIds.Length == 1
            ? await ReadAsync(s_memberships(db, distinctUserIds), cancellationToken)
            : await RowsByKeyAsync(db, distinctUserIds, cancellationToken);
        var institutionMemberships = (await ReadAsync(s_institutionMemberships(db, distinctUserIds), cancellationToken)).ToLookup(o => o.UserId);
        var segments = await SegmentsAsync(db, rows, cancellationToken);

        // Read as for a manager; each viewer who may not manage gets the private metadata blanked below.
        var institutionSummaries = new Dictionary<string, InstitutionSummary>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!institutionSummaries.ContainsKey(row.Institution.Id))
            {
                institutionSummaries[row.Institution.Id] = row.Institution.ToSummary([.. segments[row.Institution.Id]]);
            }
        }

        var rowsOfUser = rows.ToLookup(r => r.UserId);
        var snapshots = new Dictionary<string, MembershipSnapshot>(distinctUserIds.Length);
        foreach (var userId in distinctUserIds)
        {
            var own = rowsOfUser[userId].ToList();
            var institutionMembershipsOfUser = institutionMemberships[userId].ToList();
            var defaultMembership = own.FirstOrDefault(m => m.IsDefault);
            var active = ActiveInstitutions.Decide(
                defaultMembership is null ? null : (defaultMembership.Id, defaultMembership.Institution.Id),
                institutionMembershipsOfUser.Select(o => (o.Id, o.InstitutionId, o.IsActive)));
            var manageable = institutionMembershipsOfUser.Where(o => o.CanManage).Select(o => o.InstitutionId).ToHashSet(StringComparer.Ordinal);
            var institutions = own.Select(r => r.Institution.Id).Distinct().ToDictionary(id => id, id =>
                manageable.Contains(id) ? institutionSummaries[id] : institutionSummaries[id] with { PrivateMetadata = JsonText.EmptyObject });
            var memberships = own.Select(row =>
            {
                var (w, r) = (row.Workspace, row.Role);
                var standing = new WorkspaceStanding(w.Id, row.Institution.Id, row.Id, r.Id, WorkspaceRole.IsOwnerRole(r.BuiltIn), row.Status, r.Permissions);
                var workspace = new WorkspaceSummary(
                    w.Id, w.Name, w.Slug, w.ImageUrl, w.Description, w.MemberCount, w.PublicMetadata,
                    standing.Grants(Domain.Memberships.Permissions.WorkspaceUpdate) ? w.PrivateMetadata : JsonText.EmptyObject,
                    w.Policy, w.CreatedAt, w.UpdatedAt, [.. segments[w.Id]]);
                var role = new RoleSummary(r.Id, r.Name, Domain.Memberships.Permissions.Canonical(r.Permissions), r.CreatedAt, r.UpdatedAt);
                return new MembershipParts(row.Id, row.UserId, row.Institution.Id, workspace, w.Status, role, row.Status, row.CreatedAt, row.UpdatedAt);
            }).ToArray();
            snapshots[userId] = new MembershipSnapshot(memberships, institutions, active);
        }
        return snapshots;
    }

    /// <summary>
    /// The first query's rows for many users (background refreshes), read by key instead: the memberships
    /// by user, then their workspaces and roles (<see cref="MembershipsOfUsers"/>) and institutions by id.
    /// For hundreds of users PostgreSQL expects the heavy users' share of rows for each and hash-joins the
    /// whole role table: at a million memberships, 500 users' join took ~230 ms, the lookups by key ~65 ms.
    /// </summary>
    private static async Task<List<MembershipRow>> RowsByKeyAsync(TenantryDbContext db, string[] userIds, CancellationToken cancellationToken)
    {
        var memberships = await MembershipsOfUsers.LoadAsync(db, userIds, cancellationToken);
        if (memberships.Count == 0)
        {
            return [];
        }
        var institutionIds = memberships.Select(x => x.Membership.InstitutionId).Distinct().ToList();
        var institutions = await db.Institutions.AsNoTracking().Where(i => institutionIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
        return [.. memberships
            .Where(x => institutions.ContainsKey(x.Membership.InstitutionId))
            .Select(x => MembershipRow.From(x, institutions[x.Membership.InstitutionId]))];
    }

    /// <summary>The segments of the rows' workspaces and institutions by owner id, each list by name; no query without rows.</summary>
    private static async Task<ILookup<string, SegmentSummary>> SegmentsAsync(TenantryDbContext db, List<MembershipRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return Array.Empty<SegmentRow>().ToLookup(s => s.OwnerId, s => s.ToSummary());
        }
        var workspaceIds = rows.Select(r => r.Workspace.Id).Distinct().ToArray();
        var institutionIds = rows.Select(r => r.Institution.Id).Distinct().ToArray();
        return (await ReadAsync(s_segments(db, workspaceIds, institutionIds), cancellationToken)).ToLookup(s => s.OwnerId, s => s.ToSummary());
    }

    private static async Task<List<T>> ReadAsync<T>(IAsyncEnumerable<T> query, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var item in query.WithCancellation(cancellationToken))
        {
            list.Add(item);
        }
        return list;
    }

    // The columns each query reads: exactly what the view shows and decides with.
    private sealed record MembershipRow(
        string Id, string UserId, bool IsDefault, MembershipStatus Status, DateTime CreatedAt, DateTime UpdatedAt,
        WorkspaceRow Workspace, RoleRow Role, InstitutionRow Institution)
    {
        /// <summary>The same row from entities read by key (<see cref="RowsByKeyAsync"/>).</summary>
        public static MembershipRow From(MembershipWithWorkspace x, Institution i)
        {
            var (m, w, r) = (x.Membership, x.Workspace, x.Role);
            return new(
                m.Id, m.UserId, m.IsDefault, m.Status, m.CreatedAt, m.UpdatedAt,
                new WorkspaceRow(
                    w.Id, w.Name, w.Slug, w.ImageUrl, w.Description, w.MemberCount, w.PublicMetadata, w.PrivateMetadata,
                    w.Policy, w.Status, w.CreatedAt, w.UpdatedAt),
                new RoleRow(r.Id, r.Name, r.BuiltIn, r.Permissions, r.CreatedAt, r.UpdatedAt),
                new InstitutionRow(
                    i.Id, i.Name, i.Slug, i.ImageUrl, i.Description, i.MemberCount, i.PublicMetadata, i.PrivateMetadata,
                    i.EnforceMfa, i.IpAllowlist, i.AutoAssignedWorkspaceId, i.CreatedAt, i.UpdatedAt));
        }
    }

    private sealed record WorkspaceRow(
        string Id, string Name, string? Slug, string? ImageUrl, string? Description, int MemberCount, string PublicMetadata, string PrivateMetadata,
        WorkspacePolicy? Policy, WorkspaceStatus Status, DateTime CreatedAt, DateTime UpdatedAt);

    private sealed record RoleRow(string Id, string Name, BuiltInRole? BuiltIn, List<string> Permissions, DateTime CreatedAt, DateTime UpdatedAt);

    private sealed record InstitutionRow(
        string Id, string Name, string? Slug, string? ImageUrl, string? Description, int MemberCount, string PublicMetadata, string PrivateMetadata,
        bool EnforceMfa, List<string> IpAllowlist, string? AutoAssignedWorkspaceId, DateTime CreatedAt, DateTime UpdatedAt)
    {
        public InstitutionSummary ToSummary(IReadOnlyList<SegmentSummary> segments) =>
            new(Id, Name, Slug, ImageUrl, Description, MemberCount, PublicMetadata, PrivateMetadata, EnforceMfa, IpAllowlist,
                AutoAssignedWorkspaceId, CreatedAt, UpdatedAt, segments);
    }

    private sealed record InstitutionMembershipRow(string Id, string UserId, string InstitutionId, InstitutionRole Role, bool IsActive)
    {
        public bool CanManage => InstitutionMembership.RoleCanManage(Role);
    }

    // Set by member initialization: EF Core matches the two sides of a UNION ALL member by member.
    private sealed class SegmentRow
    {
        public required string OwnerId { get; init; }
        public required string Id { get; init; }
        public required string Name { get; init; }
        public required SegmentType Type { get; init; }
        public required DateTime CreatedAt { get; init; }
        public required DateTime UpdatedAt { get; init; }

        public SegmentSummary ToSummary() => new(Id, Name, Type, CreatedAt, UpdatedAt);
    }
}

/// <summary>One membership as the full view shows it, but for the eligibility of a request.</summary>
public sealed record MembershipParts(
    string Id, string UserId, string InstitutionId, WorkspaceSummary Workspace, WorkspaceStatus WorkspaceStatus,
    RoleSummary Role, MembershipStatus Status, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>What <see cref="MyMembershipsCache"/> keeps per user: their memberships and which ones are active (the session's active institution and workspace).</summary>
public sealed record MembershipSnapshot(
    MembershipParts[] Memberships, IReadOnlyDictionary<string, InstitutionSummary> Institutions, ActiveMemberships Active);
