using System.IdentityModel.Tokens.Jwt;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Tenantry.AspNetCore;

/// <summary>The caller must be a member of the request's workspace and, when <see cref="Permission"/> is set, hold it.</summary>
public sealed record TenantryWorkspaceRequirement(string? Permission) : IAuthorizationRequirement;

/// <summary>Why a workspace policy refused: each becomes its own status (see <see cref="TenantryAuthorizationResultHandler"/>).</summary>
internal sealed class TenantryRefusal(IAuthorizationHandler handler, string message, int status) : AuthorizationFailureReason(handler, message)
{
    public int Status { get; } = status;
}

/// <summary>Decides a <see cref="TenantryWorkspaceRequirement"/> with one (cached) call to Tenantry.</summary>
internal sealed class TenantryWorkspaceHandler(TenantryWorkspaceAccess access, IOptions<TenantryAuthenticationOptions> options)
    : AuthorizationHandler<TenantryWorkspaceRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantryWorkspaceRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }
        var workspaceId = WorkspaceOf(http);
        var sessionId = context.User.TenantrySessionId();
        var token = http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (string.IsNullOrEmpty(workspaceId))
        {
            context.Fail(new TenantryRefusal(this, "No workspace: a route value or the X-Workspace-Id header names it.", StatusCodes.Status400BadRequest));
            return;
        }
        if (sessionId is null || token is null)
        {
            context.Fail(new TenantryRefusal(this, "No Tenantry session.", StatusCodes.Status401Unauthorized));
            return;
        }
        var result = await access.GetAsync(workspaceId, sessionId, token, http.RequestAborted);
        switch (result.Outcome)
        {
            case TenantryAccessOutcome.Member when requirement.Permission is null ? result.Standing!.Admitted : result.Standing!.Grants(requirement.Permission):
                http.Features.Set(result.Standing);
                context.Succeed(requirement);
                break;
            case TenantryAccessOutcome.Member when !result.Standing!.Admitted:
                context.Fail(new TenantryRefusal(this,
                    result.Standing.Active ? $"The workspace does not admit this request ({result.Standing.Restriction})." : "The membership is inactive.",
                    StatusCodes.Status403Forbidden));
                break;
            case TenantryAccessOutcome.Member:
                context.Fail(new TenantryRefusal(this, $"The caller's role lacks {requirement.Permission}.", StatusCodes.Status403Forbidden));
                break;
            case TenantryAccessOutcome.NotMember:
                // Never reveal that a workspace exists to someone outside it.
                context.Fail(new TenantryRefusal(this, "Not found.", StatusCodes.Status404NotFound));
                break;
            case TenantryAccessOutcome.SessionRejected:
                context.Fail(new TenantryRefusal(this, "The session was revoked or the token expired.", StatusCodes.Status401Unauthorized));
                break;
            default:
                context.Fail(new TenantryRefusal(this, "Tenantry could not be reached to check the workspace.", StatusCodes.Status503ServiceUnavailable));
                break;
        }
    }

    private string? WorkspaceOf(HttpContext http)
    {
        foreach (var name in options.Value.WorkspaceRouteValues)
        {
            if (http.GetRouteValue(name) is string fromRoute && fromRoute.Length > 0)
            {
                return fromRoute;
            }
        }
        var header = http.Request.Headers[TenantryAuthenticationOptions.WorkspaceHeader].ToString();
        return header.Length > 0 ? header : null;
    }
}

/// <summary>Workspace refusals answer 400, 401, 403, 404 or 503 as decided; everything else as ASP.NET Core does.</summary>
internal sealed class TenantryAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var refusal = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<TenantryRefusal>().FirstOrDefault();
        if (refusal is null || authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        await Results.Problem(statusCode: refusal.Status, title: refusal.Message).ExecuteAsync(context);
    }
}

public static class TenantryEndpointConventionBuilderExtensions
{
    /// <summary>The caller must be an active member of the workspace (route value or <c>X-Workspace-Id</c>): 404 for anyone else.</summary>
    public static TBuilder RequireWorkspaceMember<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(null));

    /// <summary>The caller's role in the workspace must hold <paramref name="permission"/> (e.g. <c>members.invite</c>): 404 for non-members, 403 without it.</summary>
    public static TBuilder RequireWorkspacePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(permission));

    private static AuthorizationPolicy Policy(string? permission) => new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .AddRequirements(new TenantryWorkspaceRequirement(permission))
        .Build();
}

public static class TenantryClaimsPrincipalExtensions
{
    /// <summary>The claim that carries the session id (Tenantry's access tokens name their session).</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>The Tenantry user id (<c>sub</c>).</summary>
    public static string? TenantryUserId(this System.Security.Claims.ClaimsPrincipal user) => user.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;

    /// <summary>The Tenantry session id (<c>sid</c>).</summary>
    public static string? TenantrySessionId(this System.Security.Claims.ClaimsPrincipal user) => user.FindFirst(SessionIdClaim)?.Value;

    /// <summary>The caller's standing in the request's workspace, once a workspace policy admitted the request.</summary>
    public static TenantryWorkspaceStanding? TenantryWorkspace(this HttpContext http) => http.Features.Get<TenantryWorkspaceStanding>();
}
