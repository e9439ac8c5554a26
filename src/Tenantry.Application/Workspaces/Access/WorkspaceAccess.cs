using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;
using Tenantry.Application.Common;

namespace Tenantry.Application.Workspaces.Access;

/// <summary>The caller's standing in one workspace, as far as permissions go.</summary>
public sealed record WorkspaceStanding(
    string WorkspaceId, string InstitutionId, string MembershipId, string RoleId, bool IsOwner, MembershipStatus Status, IReadOnlyList<string> Permissions)
{
    public bool Grants(string permission) => Status == MembershipStatus.Active && Permissions.Contains(permission, StringComparer.Ordinal);

    /// <summary>Whether this member may hand out or take away <paramref name="role"/> (see <see cref="RoleGrants"/>).</summary>
    public bool MayGrant(WorkspaceRole role) => RoleGrants.MayGrant(IsOwner, Permissions, role);

    public bool MayGrant(IEnumerable<string> permissions) => RoleGrants.MayGrant(IsOwner, Permissions, permissions);
}

/// <summary>
/// Decides whether a user may do something in a workspace, in this order: non-members get
/// <see cref="NotFound"/> (a workspace never reveals that it exists); members for whom the
/// workspace is not enterable in this request (suspended, membership inactive, client IP not
/// allowed, MFA required: the same <see cref="Eligibility.Decide"/> as the workspace list) get
/// <see cref="NotEnterable"/>; members whose role lacks the permission get <see cref="PermissionDenied"/>.
/// The host's authorization policies call this; handlers can trust that it ran. Leaving a
/// workspace does not come through here: it stays possible whatever the policies say.
/// </summary>
public sealed class WorkspaceAccess(TenantryDbContext db)
{
    private static readonly Func<TenantryDbContext, string, string, Task<StandingRow?>> s_standing =
        EF.CompileAsyncQuery((TenantryDbContext ctx, string workspaceId, string userId) =>
            (from m in ctx.WorkspaceMemberships
             where m.WorkspaceId == workspaceId && m.UserId == userId
             join r in ctx.WorkspaceRoles on m.RoleId equals r.Id
             join w in ctx.Workspaces on m.WorkspaceId equals w.Id
             join i in ctx.Institutions on w.InstitutionId equals i.Id
             select new StandingRow(
                 new WorkspaceStanding(m.WorkspaceId, m.InstitutionId, m.Id, r.Id, r.BuiltIn == BuiltInRole.Owner, m.Status, r.Permissions),
                 w.Status, w.Policy, i.IpAllowlist, i.EnforceMfa))
            .FirstOrDefault());

    public async Task<Result<WorkspaceStanding>> CheckAsync(string workspaceId, Caller caller, string permission, CancellationToken cancellationToken)
    {
        var entered = await EnterAsync(workspaceId, caller);
        if (!entered.IsSuccess)
        {
            return entered.Error;
        }
        return entered.Value.Grants(permission) ? entered.Value : new PermissionDenied(permission);
    }

    /// <summary>
    /// The member's standing whatever their permissions, and whether the workspace admits this request
    /// (and if not, why); <see cref="NotFound"/> for anyone else.
    /// </summary>
    public async Task<Result<(WorkspaceStanding Standing, EligibilityRestriction Restriction)>> StandingOfAsync(
        string workspaceId, Caller caller, CancellationToken cancellationToken)
    {
        var row = EntityId.LooksValid(workspaceId, EntityId.Workspace) ? await s_standing(db, workspaceId, caller.UserId) : null;
        if (row is null)
        {
            return new NotFound();
        }
        var decision = Eligibility.Decide(new EligibilityFacts(
            row.WorkspaceStatus, row.Standing.Status, row.Policy, row.InstitutionIpAllowlist, row.InstitutionEnforcesMfa,
            caller.ClientIp, caller.MfaVerified));
        return (row.Standing, decision.Enterable ? EligibilityRestriction.None : decision.Restriction);
    }

    /// <summary>For what only an owner may do (ownership transfer): an active membership in the Owner role.</summary>
    public async Task<Result<WorkspaceStanding>> CheckOwnerAsync(string workspaceId, Caller caller, CancellationToken cancellationToken)
    {
        var entered = await EnterAsync(workspaceId, caller);
        if (!entered.IsSuccess)
        {
            return entered.Error;
        }
        return entered.Value.IsOwner ? entered.Value : new PermissionDenied(OwnerOnly);
    }

    /// <summary>
    /// Takes the workspace lock in the caller's transaction (same scoped context), then decides
    /// the caller's standing again: a concurrent change (say, the caller being demoted, or the
    /// workspace suspended) has committed by then, and the decision must not rest on what the
    /// authorization policy read before it.
    /// </summary>
    public async Task<Result<WorkspaceStanding>> LockAndRecheckAsync(WorkspaceStanding standing, Caller caller, string permission, CancellationToken cancellationToken)
    {
        await db.LockWorkspaceAsync(standing.WorkspaceId, cancellationToken);
        return await CheckAsync(standing.WorkspaceId, caller, permission, cancellationToken);
    }

    /// <summary>The pseudo-permission of owner-only operations.</summary>
    public const string OwnerOnly = "owner";

    /// <summary>The caller's standing, if they are a member and the workspace admits this request.</summary>
    private async Task<Result<WorkspaceStanding>> EnterAsync(string workspaceId, Caller caller)
    {
        var standing = await StandingOfAsync(workspaceId, caller, CancellationToken.None);
        if (!standing.IsSuccess)
        {
            return standing.Error;
        }
        var (member, restriction) = standing.Value;
        return restriction == EligibilityRestriction.None ? member : new NotEnterable(restriction);
    }

    private sealed record StandingRow(
        WorkspaceStanding Standing, WorkspaceStatus WorkspaceStatus, WorkspacePolicy? Policy, List<string> InstitutionIpAllowlist, bool InstitutionEnforcesMfa);
}
