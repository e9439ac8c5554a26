using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Operator.UpdateWorkspace;
using Tenantry.Application.Workspaces;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Operator.Directory;

/// <summary><c>GET /admin/v1/institutions?query=</c>: by id, or name or slug containing the query (case-insensitive); newest first.</summary>
public sealed class ListInstitutionsHandler(TenantryDbContext db)
{
    public async Task<Paged<AdminInstitutionView>> HandleAsync(string? query, PageRequest page, CancellationToken cancellationToken)
    {
        var institutions = db.Institutions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query))
        {
            var id = query.Trim();
            var q = id.ToLowerInvariant();
            institutions = institutions.Where(i => i.Id == id || i.Name.ToLower().Contains(q) || (i.Slug != null && i.Slug.ToLower().Contains(q)));
        }
        var total = await institutions.CountAsync(cancellationToken);
        var rows = await institutions.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
            .Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<AdminInstitutionView>(rows.Select(AdminInstitutionView.From).ToList(), page, total);
    }
}

public sealed class GetInstitutionHandler(TenantryDbContext db)
{
    public async Task<Result<AdminInstitutionView>> HandleAsync(string institutionId, CancellationToken cancellationToken) =>
        await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == institutionId, cancellationToken) is { } i
            ? AdminInstitutionView.From(i)
            : new NotFound();
}

/// <summary>
/// <c>GET /admin/v1/workspaces?query=&amp;institutionBizId=&amp;status=</c>: by id, or name or slug
/// containing the query; optionally of one institution and in one status; newest first.
/// </summary>
public sealed class ListWorkspacesHandler(TenantryDbContext db)
{
    public async Task<Result<Paged<AdminWorkspaceView>>> HandleAsync(
        string? query, string? institutionId, string? status, PageRequest page, CancellationToken cancellationToken)
    {
        var workspaces = db.Workspaces.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!WorkspaceCodes.Statuses.Contains(status, StringComparer.Ordinal))
            {
                return new ValidationFailed(new FieldError("status", ValidationCodes.UnknownValue,
                    ValidationRules.Args("allowed", string.Join(", ", WorkspaceCodes.Statuses))));
            }
            var wanted = WorkspaceCodes.ParseStatus(status);
            workspaces = workspaces.Where(w => w.Status == wanted);
        }
        if (!string.IsNullOrWhiteSpace(institutionId))
        {
            workspaces = workspaces.Where(w => w.InstitutionId == institutionId);
        }
        if (!string.IsNullOrWhiteSpace(query))
        {
            var id = query.Trim();
            var q = id.ToLowerInvariant();
            workspaces = workspaces.Where(w => w.Id == id || w.Name.ToLower().Contains(q) || (w.Slug != null && w.Slug.ToLower().Contains(q)));
        }
        var total = await workspaces.CountAsync(cancellationToken);
        var rows = await workspaces.OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id)
            .Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        var views = new List<AdminWorkspaceView>(rows.Count);
        foreach (var workspace in rows)
        {
            views.Add(await AdminWorkspaceViews.ViewAsync(db, workspace, cancellationToken));
        }
        return new Paged<AdminWorkspaceView>(views, page, total);
    }
}

public sealed class GetWorkspaceHandler(TenantryDbContext db)
{
    public async Task<Result<AdminWorkspaceView>> HandleAsync(string workspaceId, CancellationToken cancellationToken) =>
        await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken) is { } w
            ? await AdminWorkspaceViews.ViewAsync(db, w, cancellationToken)
            : new NotFound();
}

/// <summary>A member as the operator lists them: the membership with the account's email, name and role name.</summary>
public sealed record AdminMemberView(
    string UserId, string Email, string DisplayName, UserStatus UserStatus, string RoleId, string RoleName, JoinSource JoinSource,
    MembershipStatus Status, bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary><c>GET /admin/v1/workspaces/{workspaceBizId}/members</c>: every membership, active or not, in the order they joined.</summary>
public sealed class ListWorkspaceMembersHandler(TenantryDbContext db)
{
    public async Task<Result<Paged<AdminMemberView>>> HandleAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        if (!await db.Workspaces.AnyAsync(w => w.Id == workspaceId, cancellationToken))
        {
            return new NotFound();
        }
        var members = db.WorkspaceMemberships.Where(m => m.WorkspaceId == workspaceId);
        var total = await members.CountAsync(cancellationToken);
        var items = await (from m in members
                           join u in db.Users on m.UserId equals u.Id
                           join r in db.WorkspaceRoles on m.RoleId equals r.Id
                           orderby m.CreatedAt, m.Id
                           select new AdminMemberView(u.Id, u.Email, u.DisplayName, u.Status, r.Id, r.Name, m.JoinSource, m.Status, m.IsDefault,
                               m.CreatedAt, m.UpdatedAt))
            .Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<AdminMemberView>(items, page, total);
    }
}
