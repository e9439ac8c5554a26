using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Tenantry.Domain.Common;

namespace Tenantry.Server.Dialects.Shared;

/// <summary>
/// A policy's refusal as a domain failure (not a member: <c>NotFound</c>, never a hint that the
/// workspace exists; not enterable now; lacking the permission), for the dialect to answer in its shape.
/// </summary>
public sealed class DomainFailureReason(IAuthorizationHandler handler, DomainError error) : AuthorizationFailureReason(handler, error.GetType().Name)
{
    public DomainError Error { get; } = error;
}

/// <summary>
/// Turns authorization failures into dialect answers: a domain failure as the dialect maps it
/// (a non-member gets 404, never a hint), any other refusal a plain 403.
/// </summary>
public sealed class DialectAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
        return authorizeResult.AuthorizationFailure?.FailureReasons.OfType<DomainFailureReason>().FirstOrDefault() is { } reason
            ? DialectErrors.WriteAsync(context, reason.Error)
            : DialectErrors.WriteAsync(context, DialectError.Forbidden);
    }
}
