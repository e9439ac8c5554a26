using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>One of the caller's workspaces, with their standing in it and whether they may enter it now.</summary>
public sealed record MyWorkspace(
    string UserId,
    string WorkspaceId,
    string WorkspaceName,
    WorkspaceKind Kind,
    string InstitutionId,
    string RoleId,
    string RoleName,
    JoinSource JoinSource,
    bool IsOwner,
    bool IsDefault,
    EligibilityDecision Eligibility,
    WorkspacePolicy? Policy,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>
/// "List my workspaces": the request every front end makes on every page load. One indexed
/// query (memberships by user, joined to workspace, role and institution), then the
/// eligibility decision per item for this request.
/// </summary>
public sealed class ListMyWorkspacesHandler(TenantryDbContext db)
{
    public async Task<IReadOnlyList<MyWorkspace>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var items = new List<MyWorkspace>();
        await foreach (var row in Rows(db, caller.UserId, workspaceId: null).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            items.Add(ToItem(row, caller));
        }
        return items;
    }

    /// <summary>One item of the caller's list (after a change to it), or null when they are not a member.</summary>
    public async Task<MyWorkspace?> GetAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        var row = await Rows(db, caller.UserId, workspaceId).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToItem(row, caller);
    }

    private static IQueryable<Row> Rows(TenantryDbContext ctx, string userId, string? workspaceId) =>
        from m in ctx.WorkspaceMemberships
        where m.UserId == userId && (workspaceId == null || m.WorkspaceId == workspaceId)
        join w in ctx.Workspaces on m.WorkspaceId equals w.Id
        join r in ctx.WorkspaceRoles on m.RoleId equals r.Id
        join i in ctx.Institutions on w.InstitutionId equals i.Id
        orderby m.CreatedAt, m.Id
        select new Row(
            w.Id, w.Name, w.Kind, w.Status, w.Policy, w.InstitutionId, i.EnforceMfa, i.IpAllowlist,
            r.Id, r.Name, r.BuiltIn, m.JoinSource, m.Status, m.IsDefault, m.CreatedAt, m.UpdatedAt);

    private static MyWorkspace ToItem(Row row, Caller caller)
    {
        var eligibility = Eligibility.Decide(new EligibilityFacts(
            row.WorkspaceStatus, row.MembershipStatus, row.Policy, row.InstitutionIpAllowlist, row.InstitutionEnforcesMfa,
            caller.ClientIp, caller.MfaVerified));
        return new MyWorkspace(
            caller.UserId, row.WorkspaceId, row.WorkspaceName, row.Kind, row.InstitutionId, row.RoleId, row.RoleName,
            row.JoinSource, row.RoleBuiltIn == BuiltInRole.Owner, row.IsDefault, eligibility, row.Policy, row.CreatedAt, row.UpdatedAt);
    }

    private sealed record Row(
        string WorkspaceId, string WorkspaceName, WorkspaceKind Kind, WorkspaceStatus WorkspaceStatus, WorkspacePolicy? Policy,
        string InstitutionId, bool InstitutionEnforcesMfa, List<string> InstitutionIpAllowlist,
        string RoleId, string RoleName, BuiltInRole? RoleBuiltIn, JoinSource JoinSource, MembershipStatus MembershipStatus,
        bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt);
}
