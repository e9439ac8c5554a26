using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Tenantry.Server.Dialects.Shared;

/// <summary>Why a workspace policy refused a caller who is not a member: answered 404, never 403, so that nothing hints the workspace exists.</summary>
public static class AuthorizationFailures
{
    public const string NotAMember = "not-a-member";
}

/// <summary>Turns authorization failures into dialect answers: a non-member gets 404 (never a hint), a member without the permission 403.</summary>
public sealed class DialectAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
        var notAMember = authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Message == AuthorizationFailures.NotAMember) == true;
        return DialectErrors.WriteAsync(context, notAMember ? DialectError.NotFound : DialectError.Forbidden);
    }
}
