using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Workspaces.MyAccess;

/// <summary>
/// The caller's standing in one workspace: role, ownership, membership status and permissions.
/// What a product's own API asks (Tenantry.AspNetCore, @tenantry/client/server) to decide a
/// workspace permission with one call. Non-members get <see cref="NotFound"/>, like every
/// workspace endpoint; any member may ask, whatever their permissions.
/// </summary>
public sealed class GetMyAccessHandler(WorkspaceAccess access)
{
    public Task<Result<WorkspaceStanding>> HandleAsync(string workspaceId, Caller caller, CancellationToken cancellationToken) =>
        access.StandingOfAsync(workspaceId, caller.UserId, cancellationToken);
}
