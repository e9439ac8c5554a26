using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Tenantry.Server.Configuration;
using Tenantry.Server.Security;

namespace Tenantry.Server.WebConsole.Admin;

/// <summary>
/// The console's operator area is entered with the operator key (<c>Tenantry:AdminApiKey</c>), the same
/// credential as the operator API: the key is compared in constant time, wrong keys are counted per client IP
/// with the operator API's limits (<c>Tenantry:Operator:WrongKeysPerIp</c>/<c>WrongKeysWindow</c>, a separate
/// allowance), and a right key gives an operator cookie: encrypted and signed with the Data Protection key ring,
/// HttpOnly, SameSite=Strict, path <c>/console/admin</c>, valid for <see cref="Lifetime"/> and only while the
/// configured key is the one it was issued for (rotating the key ends every operator session). The key itself
/// is never stored in the browser. Without a configured key the operator area is off.
/// </summary>
public sealed class OperatorSession
{
    public const string Cookie = "__console_operator";
    public const string Path = ConsoleHosting.Prefix + "/admin";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly SecretSet _keys;
    private readonly string? _fingerprint;
    private readonly ITimeLimitedDataProtector _protector;
    private readonly PartitionedRateLimiter<string> _wrongKeys;

    public OperatorSession(IOptions<TenantryOptions> options, IDataProtectionProvider protection)
    {
        var key = options.Value.AdminApiKey;
        _keys = new SecretSet([key]);
        _fingerprint = string.IsNullOrEmpty(key) ? null : Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("tenantry-console-operator:" + key)));
        _protector = protection.CreateProtector("Tenantry.Console.Operator").ToTimeLimitedDataProtector();
        var limits = options.Value.Operator;
        _wrongKeys = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = limits.WrongKeysPerIp, Window = limits.WrongKeysWindow, QueueLimit = 0 }));
    }

    /// <summary>False when no operator key is configured: the operator area is off, as the operator API is.</summary>
    public bool Enabled => _fingerprint is not null;

    public bool IsOperator(HttpContext http)
    {
        if (_fingerprint is null || !http.Request.Cookies.TryGetValue(Cookie, out var value) || string.IsNullOrEmpty(value))
        {
            return false;
        }
        try
        {
            var payload = _protector.Unprotect(value, out _);
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(payload), Encoding.UTF8.GetBytes(_fingerprint));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public enum Outcome
    {
        SignedIn,
        WrongKey,
        Limited,
        Disabled,
    }

    public Outcome SignIn(HttpContext http, string? presented)
    {
        if (_fingerprint is null)
        {
            return Outcome.Disabled;
        }
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using (var allowance = _wrongKeys.AttemptAcquire(address, 0))
        {
            if (!allowance.IsAcquired)
            {
                return Outcome.Limited;
            }
        }
        if (!_keys.Contains(presented))
        {
            using var counted = _wrongKeys.AttemptAcquire(address, 1);
            return counted.IsAcquired ? Outcome.WrongKey : Outcome.Limited;
        }
        http.Response.Cookies.Append(Cookie, _protector.Protect(_fingerprint, Lifetime), Options(http, Lifetime));
        return Outcome.SignedIn;
    }

    public static void SignOut(HttpContext http) => http.Response.Cookies.Delete(Cookie, Options(http, null));

    private static CookieOptions Options(HttpContext http, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = Path,
        MaxAge = lifetime,
        IsEssential = true,
    };
}
