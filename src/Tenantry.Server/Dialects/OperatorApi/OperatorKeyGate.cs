using System.Threading.RateLimiting;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.OperatorApi;

/// <summary>
/// The operator API's key check (CONTRACT 7 and 8), a middleware for the whole <c>/admin/v1</c>
/// prefix so that it runs before routing's answers (404, 405) and before any body is bound (400,
/// 415): without the right <c>X-Admin-Key</c> every operator path answers the same 401, whether the
/// route exists or not. The key is compared in constant time (<see cref="SecretSet"/>).
/// Wrong keys are counted per client IP (<see cref="OperatorOptions.WrongKeysPerIp"/> per
/// <see cref="OperatorOptions.WrongKeysWindow"/>); once an address has used up its allowance, every
/// operator request from it answers 429 <c>4290</c> with <c>Retry-After</c> until the window ends,
/// the right key included (otherwise the limit would confirm a correct guess). Requests without a key
/// are refused but not counted; other addresses, the operator's own, are never held back.
/// Only installed when the operator API is (a key is configured).
/// </summary>
public sealed partial class OperatorKeyGate
{
    private readonly RequestDelegate _next;
    private readonly SecretSet _keys;
    private readonly PartitionedRateLimiter<string> _wrongKeys;
    private readonly ILogger<OperatorKeyGate> _logger;

    public OperatorKeyGate(RequestDelegate next, string key, OperatorOptions options, ILogger<OperatorKeyGate> logger)
    {
        _next = next;
        _keys = new SecretSet([key]);
        _logger = logger;
        _wrongKeys = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = options.WrongKeysPerIp, Window = options.WrongKeysWindow, QueueLimit = 0 }));
    }

    public async Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments(OperatorDialect.Prefix))
        {
            await _next(http);
            return;
        }
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using (var allowance = _wrongKeys.AttemptAcquire(address, 0))
        {
            if (!allowance.IsAcquired)
            {
                await RefuseAsync(http, allowance);
                return;
            }
        }
        string? presented = http.Request.Headers[OperatorDialect.KeyHeader];
        if (_keys.Contains(presented))
        {
            await _next(http);
            return;
        }
        if (!string.IsNullOrEmpty(presented))
        {
            using var counted = _wrongKeys.AttemptAcquire(address, 1);
            LogWrongKey(_logger, address, http.Request.Method, http.Request.Path);
            if (!counted.IsAcquired)
            {
                await RefuseAsync(http, counted);
                return;
            }
        }
        await OperatorDialect.InvalidAdminKey.WriteAsync(http);
    }

    private Task RefuseAsync(HttpContext http, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        LogLimited(_logger, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", retryAfter);
        return DialectErrors.WriteAsync(http, DialectError.RateLimited, retryAfter);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wrong operator key from {ClientIp} on {Method} {Path}")]
    private static partial void LogWrongKey(ILogger logger, string clientIp, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator requests from {ClientIp} are refused for {RetryAfter} after too many wrong keys")]
    private static partial void LogLimited(ILogger logger, string clientIp, TimeSpan retryAfter);

    /// <summary>Refuses to start with a key short enough to guess, or limits that could never admit anyone.</summary>
    public static void CheckConfiguration(TenantryOptions options)
    {
        if (!string.IsNullOrEmpty(options.AdminApiKey) && options.AdminApiKey.Length < OperatorOptions.MinimumKeyLength)
        {
            throw new InvalidOperationException(
                $"Tenantry:AdminApiKey is set but has {options.AdminApiKey.Length} characters; it needs at least {OperatorOptions.MinimumKeyLength} " +
                "(for example the output of: openssl rand -base64 32). Unset it to turn the operator API off.");
        }
        if (options.Operator.WrongKeysPerIp < 1 || options.Operator.WrongKeysWindow <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Tenantry:Operator:WrongKeysPerIp must be at least 1 and Tenantry:Operator:WrongKeysWindow positive.");
        }
    }
}
