using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Institutions;

/// <summary>
/// How a user joins an institution (a Wacht organization), whichever way they arrive: creating it,
/// accepting an invitation to one of its workspaces, or an operator adding them. The one
/// place that applies the institution's <c>auto_assigned_workspace_id</c>.
/// </summary>
public static class InstitutionJoining
{
    /// <summary>
    /// Makes <paramref name="userId"/> a member of <paramref name="institution"/> (no change if
    /// they are one already) and, on joining, a Member of its auto-assigned workspace. Adds to
    /// <paramref name="db"/>; the caller saves in its transaction.
    /// </summary>
    public static async Task<InstitutionMembership> EnsureMemberAsync(
        TenantryDbContext db, Institution institution, string userId, InstitutionRole role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = db.InstitutionMemberships.Local.FirstOrDefault(m => m.InstitutionId == institution.Id && m.UserId == userId)
            ?? await db.InstitutionMemberships.FirstOrDefaultAsync(m => m.InstitutionId == institution.Id && m.UserId == userId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var membership = InstitutionMembership.Join(institution.Id, userId, role, now);
        db.InstitutionMemberships.Add(membership);
        institution.MemberAdded();
        if (institution.AutoAssignedWorkspaceId is { } workspaceId && !await IsWorkspaceMemberAsync(db, workspaceId, userId, cancellationToken))
        {
            var workspace = await db.Workspaces.FirstAsync(w => w.Id == workspaceId, cancellationToken);
            var memberRole = await db.WorkspaceRoles.FirstAsync(r => r.WorkspaceId == workspaceId && r.BuiltIn == BuiltInRole.Member, cancellationToken);
            db.WorkspaceMemberships.Add(WorkspaceMembership.Join(institution.Id, workspaceId, userId, memberRole.Id, JoinSource.Assigned, now));
            workspace.MemberAdded();
            db.AuditEvents.Add(AuditEvent.Record(institution.Id, workspaceId, userId, AuditActions.MemberAdded, AuditTargets.Member, userId, null,
                AuditDetails.Of(("roleBizId", memberRole.Id), ("joinSource", "ASSIGNED")), now));
        }
        return membership;
    }

    // Counts memberships added earlier in the same unit of work too (e.g. the invitation being accepted).
    private static async Task<bool> IsWorkspaceMemberAsync(TenantryDbContext db, string workspaceId, string userId, CancellationToken cancellationToken) =>
        db.WorkspaceMemberships.Local.Any(m => m.WorkspaceId == workspaceId && m.UserId == userId)
        || await db.WorkspaceMemberships.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
}
