using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Institutions;

/// <summary>A segment an institution, workspace or user is in (Wacht <c>segments[]</c>).</summary>
public sealed record SegmentSummary(string Id, string Name, SegmentType Type, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// An institution as one of its members sees it. <see cref="PrivateMetadata"/> is the
/// empty object unless the member may manage the institution.
/// </summary>
public sealed record InstitutionSummary(
    string Id,
    string Name,
    string? Slug,
    string? ImageUrl,
    string? Description,
    int MemberCount,
    string PublicMetadata,
    string PrivateMetadata,
    bool EnforceMfa,
    IReadOnlyList<string> IpAllowlist,
    string? AutoAssignedWorkspaceId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<SegmentSummary> Segments);

/// <summary>Loads institutions with their segments for the membership lists, in two queries whatever their number.</summary>
public static class InstitutionSummaries
{
    /// <param name="manageable">Ids of the institutions whose private metadata the caller may see.</param>
    public static async Task<Dictionary<string, InstitutionSummary>> LoadAsync(
        TenantryDbContext db, IReadOnlyCollection<string> institutionIds, IReadOnlySet<string> manageable, CancellationToken cancellationToken)
    {
        if (institutionIds.Count == 0)
        {
            return [];
        }
        var institutions = await db.Institutions.AsNoTracking().Where(i => institutionIds.Contains(i.Id)).ToListAsync(cancellationToken);
        var segments = await (
                from link in db.InstitutionSegments
                where institutionIds.Contains(link.InstitutionId)
                join s in db.Segments on link.SegmentId equals s.Id
                orderby s.Name
                select new { link.InstitutionId, Segment = new SegmentSummary(s.Id, s.Name, s.Type, s.CreatedAt, s.UpdatedAt) })
            .ToListAsync(cancellationToken);
        var segmentsOf = segments.ToLookup(s => s.InstitutionId, s => s.Segment);
        return institutions.ToDictionary(i => i.Id, i => From(i, manageable.Contains(i.Id), [.. segmentsOf[i.Id]]));
    }

    private static InstitutionSummary From(Institution i, bool mayManage, IReadOnlyList<SegmentSummary> segments) =>
        new(i.Id, i.Name, i.Slug, i.ImageUrl, i.Description, i.MemberCount, i.PublicMetadata,
            mayManage ? i.PrivateMetadata : JsonText.EmptyObject, i.EnforceMfa, i.IpAllowlist, i.AutoAssignedWorkspaceId,
            i.CreatedAt, i.UpdatedAt, segments);

    /// <summary>The organization-level policy decision for one member: its IP allow-list and MFA rule against this request.</summary>
    public static EligibilityDecision DecideFor(InstitutionSummary institution, Caller caller) =>
        Eligibility.Decide(new EligibilityFacts(
            WorkspaceStatus.Active, MembershipStatus.Active, WorkspacePolicy: null,
            institution.IpAllowlist, institution.EnforceMfa, caller.ClientIp, caller.MfaVerified));
}
