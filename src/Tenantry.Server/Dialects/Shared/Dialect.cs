using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenantry.Domain.Common;

namespace Tenantry.Server.Dialects.Shared;

/// <summary>
/// A wire dialect: the paths it answers and how it puts a failure on the wire. Each dialect
/// registers one (<see cref="DialectRegistration.AddWireDialect{TDialect}"/>); the shared
/// plumbing (status-code pages, the exception handler, authentication and authorization
/// failures, rate limiting) asks <see cref="DialectRouting"/> which one a request belongs to and
/// lets it write the answer, so that this folder never knows any dialect by name.
/// </summary>
public interface IWireDialect
{
    /// <summary>True when <paramref name="path"/> is one of this dialect's routes (or would be).</summary>
    bool Owns(PathString path);

    /// <summary>Writes a failure that arose outside any use case (gateway, host, framework) in this dialect's shape.</summary>
    Task WriteErrorAsync(HttpContext http, DialectError error, TimeSpan? retryAfter, FieldError? field);

    /// <summary>Writes a use case's failure met outside an endpoint (an authorization policy's decision) as this dialect's error table maps it.</summary>
    Task WriteErrorAsync(HttpContext http, DomainError error);
}

/// <summary>Which dialect a request belongs to; none for the paths outside every API (health, docs).</summary>
public sealed class DialectRouting(IEnumerable<IWireDialect> dialects)
{
    private readonly IWireDialect[] _dialects = [.. dialects];

    public IWireDialect? Of(HttpContext http) => Of(http.Request.Path);

    public IWireDialect? Of(PathString path)
    {
        foreach (var dialect in _dialects)
        {
            if (dialect.Owns(path))
            {
                return dialect;
            }
        }
        return null;
    }
}

public static class DialectRegistration
{
    /// <summary>Registers a dialect with the shared plumbing (error answers, kept renderings).</summary>
    public static IServiceCollection AddWireDialect<TDialect>(this IServiceCollection services) where TDialect : class, IWireDialect
    {
        services.AddSingleton<IWireDialect, TDialect>();
        services.TryAddSingleton<DialectRouting>();
        services.TryAddSingleton<KeptRenderings>();
        return services;
    }
}
