using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Domain.Common;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Workspaces.MyAccess;

/// <summary>
/// The caller's standing in one workspace: role, ownership, membership status and permissions.
/// What a product's own API asks (Tenantry.AspNetCore, @tenantry/client/server) to decide a
/// workspace permission with one call, and whether the workspace admits this request (the same
/// <see cref="Eligibility.Decide"/> as the list: suspension, inactive membership, MFA, and the IP
/// allow-list for the client address Tenantry sees). Non-members get <see cref="NotFound"/>, like
/// every workspace endpoint; any member may ask, whatever their permissions and even when the
/// workspace does not admit them (that is what they learn here).
/// </summary>
public sealed class GetMyAccessHandler(WorkspaceAccess access)
{
    public Task<Result<(WorkspaceStanding Standing, EligibilityRestriction Restriction)>> HandleAsync(
        string workspaceId, Caller caller, CancellationToken cancellationToken) =>
        access.StandingOfAsync(workspaceId, caller, cancellationToken);
}
