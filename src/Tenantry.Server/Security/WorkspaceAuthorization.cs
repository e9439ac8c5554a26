using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenantry.Application.Accounts.Authentication;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Dialects.Shared;

namespace Tenantry.Server.Security;

/// <summary>
/// The caller must hold <see cref="Permission"/> in the workspace named by the route;
/// <see cref="WorkspaceAccess.OwnerOnly"/> means the caller must be an owner.
/// </summary>
public sealed record WorkspacePermissionRequirement(string Permission) : IAuthorizationRequirement;

/// <summary>
/// The single authorization mechanism of workspace endpoints: a policy per permission
/// (<c>workspace:members.invite</c>, ...) whose requirement is checked against the
/// caller's role in the workspace of the route (<c>{workspaceBizId}</c> or <c>{workspaceId}</c>).
/// </summary>
public static class WorkspacePolicies
{
    public const string SystemSession = "system-session";
    public const string WachtSession = "wacht-session";

    public static string Permission(string permission) => "workspace:" + permission;

    public static void AddWorkspacePolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(SystemSession, p => p.AddAuthenticationSchemes(AuthenticationSchemes.AccessToken).RequireAuthenticatedUser());
        options.AddPolicy(WachtSession, p => p.AddAuthenticationSchemes(AuthenticationSchemes.SessionToken).RequireAuthenticatedUser());
        foreach (var permission in Permissions.All.Append(WorkspaceAccess.OwnerOnly))
        {
            options.AddPolicy(Permission(permission), p => p
                .AddAuthenticationSchemes(AuthenticationSchemes.AccessToken)
                .RequireAuthenticatedUser()
                .AddRequirements(new WorkspacePermissionRequirement(permission)));
        }
    }

    /// <summary>The authorization services <see cref="UseSingleAuthorizationServices"/> makes one instance each.</summary>
    public static readonly IReadOnlyList<Type> StatelessAuthorizationServices =
    [
        typeof(IPolicyEvaluator), typeof(IAuthorizationService), typeof(IAuthorizationHandlerProvider),
        typeof(IAuthorizationHandlerContextFactory), typeof(IAuthorizationEvaluator),
    ];

    /// <summary>
    /// ASP.NET Core registers its authorization services as transient, so every authorized request
    /// built the evaluator, the service, the handler provider and every handler again. None of them
    /// holds request state (the request reaches them as arguments), so one instance each serves all
    /// requests: the same implementations ASP.NET Core registered (its authorization metrics
    /// included), only their lifetime changes; the policies and the middleware are untouched.
    /// Call after <c>AddAuthorization</c>.
    /// </summary>
    public static IServiceCollection UseSingleAuthorizationServices(this IServiceCollection services)
    {
        foreach (var service in StatelessAuthorizationServices)
        {
            var implementation = services.LastOrDefault(d => d.ServiceType == service)?.ImplementationType
                ?? throw new InvalidOperationException($"{service.Name} is not registered by type: call AddAuthorization first.");
            services.Replace(ServiceDescriptor.Singleton(service, implementation));
        }
        return services;
    }

    public static TBuilder RequireWorkspacePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Permission(permission));

    /// <summary>For what only an owner of the workspace may do (ownership transfer).</summary>
    public static TBuilder RequireWorkspaceOwner<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Permission(WorkspaceAccess.OwnerOnly));

    /// <summary>The caller's standing in the route's workspace, established by the endpoint's workspace policy.</summary>
    public static WorkspaceStanding Standing(this HttpContext http) =>
        http.Features.Get<WorkspaceStanding>()
        ?? throw new InvalidOperationException("The endpoint must require a workspace permission before it asks for the caller's standing.");
}

/// <summary>
/// One instance for the process: ASP.NET Core builds every registered handler for every authorized
/// request, so a handler holding the request's <see cref="WorkspaceAccess"/> leased a database
/// context on each one ("list my workspaces" included, which has no workspace requirement). The
/// access check is taken from the request's services only when a workspace requirement is checked.
/// </summary>
public sealed class WorkspacePermissionHandler : AuthorizationHandler<WorkspacePermissionRequirement, HttpContext>
{
    protected override async Task HandleRequirementAsync(
        AuthorizationHandlerContext context, WorkspacePermissionRequirement requirement, HttpContext http)
    {
        var workspaceId = (http.GetRouteValue("workspaceBizId") ?? http.GetRouteValue("workspaceId")) as string;
        if (workspaceId is null || http.Features.Get<AuthenticatedSession>() is null)
        {
            context.Fail(new DomainFailureReason(this, new NotFound()));
            return;
        }
        var caller = http.Caller();
        var access = http.RequestServices.GetRequiredService<WorkspaceAccess>();
        var result = requirement.Permission == WorkspaceAccess.OwnerOnly
            ? await access.CheckOwnerAsync(workspaceId, caller, http.RequestAborted)
            : await access.CheckAsync(workspaceId, caller, requirement.Permission, http.RequestAborted);
        if (result.IsSuccess)
        {
            http.Features.Set(result.Value);
            context.Succeed(requirement);
            return;
        }
        // Not a member (404), not enterable now (403 with the reason), or lacking the permission (403): the dialect says it.
        context.Fail(new DomainFailureReason(this, result.Error));
    }
}
