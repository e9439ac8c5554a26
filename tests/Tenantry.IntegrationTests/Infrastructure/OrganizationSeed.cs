using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Institutions;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// Organization set-up the HTTP API cannot do yet (organization-run workspaces, joining an
/// organization). Joining goes through <see cref="InstitutionJoining"/>, the one rule every
/// way of joining uses, so auto-assigned workspaces apply as they do for invitations.
/// </summary>
public static class OrganizationSeed
{
    public static Task<string> InstitutionOfAsync(this TenantryApp app, string workspaceId) =>
        app.WithDbAsync(db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.InstitutionId).SingleAsync());

    /// <summary>A workspace of an existing organization, run by <paramref name="ownerUserId"/> (who joins the organization as a Member if not in it).</summary>
    public static Task<string> AddWorkspaceAsync(this TenantryApp app, string institutionId, string ownerUserId, string name) =>
        app.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var institution = await db.Institutions.SingleAsync(i => i.Id == institutionId);
            var workspace = Workspace.Create(institutionId, name, WorkspaceKind.Live, Timezones.Default, now);
            var owner = WorkspaceRole.CreateOwner(institutionId, workspace.Id, now);
            db.Workspaces.Add(workspace);
            db.WorkspaceRoles.AddRange(owner, WorkspaceRole.CreateMember(institutionId, workspace.Id, now));
            db.WorkspaceMemberships.Add(WorkspaceMembership.Join(institutionId, workspace.Id, ownerUserId, owner.Id, JoinSource.Assigned, now));
            workspace.MemberAdded();
            await db.SaveChangesAsync();
            await InstitutionJoining.EnsureMemberAsync(db, institution, ownerUserId, InstitutionRole.Member, now, CancellationToken.None);
            await db.SaveChangesAsync();
            return workspace.Id;
        });

    /// <summary>Joins the organization (and so its auto-assigned workspace), as accepting an invitation or an operator would.</summary>
    public static Task JoinOrganizationAsync(this TenantryApp app, string institutionId, string userId, InstitutionRole role = InstitutionRole.Member) =>
        app.WithDbAsync(async db =>
        {
            var institution = await db.Institutions.SingleAsync(i => i.Id == institutionId);
            await InstitutionJoining.EnsureMemberAsync(db, institution, userId, role, DateTimeOffset.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync();
        });

    /// <summary>Joins a workspace in the named role, and its organization with it (what accepting an invitation does).</summary>
    public static async Task AddOrganizationMemberAsync(
        this TenantryApp app, string workspaceId, string userId, string roleName = WorkspaceRole.MemberName, InstitutionRole organizationRole = InstitutionRole.Member)
    {
        await app.AddMemberAsync(workspaceId, userId, roleName);
        await app.JoinOrganizationAsync(await app.InstitutionOfAsync(workspaceId), userId, organizationRole);
    }

    public static Task SetOrganizationRoleAsync(this TenantryApp app, string institutionId, string userId, InstitutionRole role) =>
        app.WithDbAsync(async db =>
        {
            var membership = await db.InstitutionMemberships.SingleAsync(m => m.InstitutionId == institutionId && m.UserId == userId);
            membership.ChangeRole(role, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        });

    public static Task AddOrganizationSegmentAsync(this TenantryApp app, string institutionId, string name) =>
        app.WithDbAsync(async db =>
        {
            var segment = Segment.Create(institutionId, name, SegmentType.Institution, DateTimeOffset.UtcNow);
            db.Segments.Add(segment);
            db.InstitutionSegments.Add(new InstitutionSegment { InstitutionId = institutionId, SegmentId = segment.Id });
            await db.SaveChangesAsync();
        });
}
