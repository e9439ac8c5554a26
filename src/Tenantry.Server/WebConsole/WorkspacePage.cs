using Microsoft.AspNetCore.Components;
using Tenantry.Application.Workspaces;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.GetDetail;
using Tenantry.Domain.Common;

namespace Tenantry.Server.WebConsole;

/// <summary>
/// A page of one workspace. Its standing is decided by <see cref="WorkspaceAccess"/> exactly as the API's
/// authorization policies decide it: a non-member (or an id that names nothing) gets 404 and "not found",
/// never the workspace's name; a member who cannot enter it now gets 403 and the reason; a member without
/// the permission gets 403.
/// </summary>
public abstract class WorkspacePage : ConsolePage
{
    [Parameter]
    public string WorkspaceId { get; set; } = "";

    [Inject]
    public WorkspaceAccess Access { get; set; } = default!;

    [Inject]
    public GetWorkspaceHandler DetailHandler { get; set; } = default!;

    protected WorkspaceStanding? Standing { get; private set; }

    protected WorkspaceDetail? Workspace { get; private set; }

    /// <summary>True when the refusal is "not found" (heading "Not found" rather than "cannot enter").</summary>
    protected bool NotFoundRefusal { get; private set; }

    /// <summary>Signs in, then decides the standing for <paramref name="permission"/> and reads the workspace.</summary>
    protected async Task<bool> EnterAsync(string permission)
    {
        if (!await SignedInAsync())
        {
            return false;
        }
        var standing = await Access.CheckAsync(WorkspaceId, Caller, permission, Aborted);
        if (!standing.IsSuccess)
        {
            Standing = null;
            Workspace = null;
            NotFoundRefusal = standing.Error is NotFound or NotAMember;
            Refuse(standing.Error);
            return false;
        }
        var detail = await DetailHandler.HandleAsync(WorkspaceId, Aborted);
        if (!detail.IsSuccess)
        {
            NotFoundRefusal = true;
            Refuse(detail.Error);
            return false;
        }
        Standing = standing.Value;
        Workspace = detail.Value;
        return true;
    }

    /// <summary>The standing for one action, decided again when the form is posted: a forged post gets 403.</summary>
    protected async Task<WorkspaceStanding?> AllowedAsync(string permission)
    {
        var standing = await Access.CheckAsync(WorkspaceId, Caller, permission, Aborted);
        if (standing.IsSuccess)
        {
            return standing.Value;
        }
        Refuse(standing.Error);
        return null;
    }
}
