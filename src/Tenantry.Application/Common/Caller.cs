using System.Net;

namespace Tenantry.Application.Common;

/// <summary>
/// Who is asking, established by the dialect from a validated token: the user, their
/// session, whether that session passed MFA, and the client IP (after trusted-proxy rules).
/// </summary>
public sealed record Caller(string UserId, string SessionId, bool MfaVerified, IPAddress? ClientIp)
{
    /// <summary>The user's <c>memberships_version</c> read with the session, when the dialect has it; lets reads of the user's list use a cache.</summary>
    public long? MembershipsVersion { get; init; }

    public string? ClientIpText => ClientIp?.ToString();
}

/// <summary>An anonymous request's origin, for sign-in and sign-up.</summary>
public sealed record RequestOrigin(IPAddress? ClientIp, string? UserAgent)
{
    public string? ClientIpText => ClientIp?.ToString();
}
