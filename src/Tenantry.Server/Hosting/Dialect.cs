namespace Tenantry.Server.Hosting;

/// <summary>The wire dialect a request belongs to; decides the shape of every error it gets.</summary>
public enum Dialect
{
    /// <summary>Not part of either API (health, docs): ProblemDetails.</summary>
    None,

    /// <summary><c>/web/v1/...</c> and the operator API: the SYSTEM envelope.</summary>
    System,

    /// <summary><c>/me</c>, <c>/session</c>, <c>/workspaces</c>, <c>/organizations</c>: Wacht's shapes.</summary>
    Wacht,
}

public static class DialectRouting
{
    public const string SystemPrefix = "/web/v1";
    public const string OperatorPrefix = "/admin/v1";

    private static readonly string[] s_wachtPrefixes = ["/me", "/session", "/workspaces", "/organizations"];

    public static Dialect Of(HttpContext http) => Of(http.Request.Path);

    public static Dialect Of(PathString path)
    {
        if (path.StartsWithSegments(SystemPrefix) || path.StartsWithSegments(OperatorPrefix))
        {
            return Dialect.System;
        }
        foreach (var prefix in s_wachtPrefixes)
        {
            if (path.StartsWithSegments(prefix))
            {
                return Dialect.Wacht;
            }
        }
        return Dialect.None;
    }
}
