using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Tenantry.Application.Accounts;

namespace Tenantry.Server.Security;

/// <summary>
/// Per-client-IP limits (the IP after the trusted-proxy rule, so a spoofed CF-Connecting-IP
/// from an untrusted peer cannot rotate it). Per-account limits are <see cref="AccountThrottle"/>.
/// Limits are per replica: N replicas allow at most N times the configured rate.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Sign-up, sign-in and refresh.</summary>
    public const string Auth = "auth-per-ip";

    /// <summary>Every MFA endpoint (challenge, step-up, enrol, confirm, disable).</summary>
    public const string Mfa = "mfa-per-ip";

    /// <summary>Invitations created or resent (each sends an email).</summary>
    public const string Invitations = "invitations-per-ip";

    /// <summary>Email verification with a link token or a code.</summary>
    public const string EmailVerification = "email-verification-per-ip";

    /// <summary>Verification emails sent again (each sends an email).</summary>
    public const string EmailVerificationResend = "email-verification-resend-per-ip";

    /// <summary>Secure-channel handshakes (each stores a channel).</summary>
    public const string Handshake = "secure-channel-handshake-per-ip";

    /// <summary>Every Wacht-dialect request.</summary>
    public const string Wacht = "wacht-per-ip";

    public static void AddTenantryPolicies(this RateLimiterOptions limiter, AuthOptions auth, Configuration.WachtOptions wacht)
    {
        PerIp(limiter, Wacht, wacht.RequestsPerMinutePerIp, TimeSpan.FromMinutes(1));
        PerIp(limiter, Auth, auth.AuthRequestsPerIp, auth.AuthRequestsPerIpWindow);
        PerIp(limiter, Mfa, auth.MfaRequestsPerIp, auth.MfaRequestsPerIpWindow);
        PerIp(limiter, Invitations, auth.InvitationsPerIp, auth.InvitationsPerIpWindow);
        PerIp(limiter, Handshake, auth.HandshakesPerIp, auth.HandshakesPerIpWindow);
        PerIp(limiter, EmailVerification, auth.VerificationAttemptsPerIp, auth.VerificationAttemptsPerIpWindow);
        PerIp(limiter, EmailVerificationResend, auth.VerificationResendsPerIp, auth.VerificationResendsPerIpWindow);
    }

    private static void PerIp(RateLimiterOptions limiter, string policy, int limit, TimeSpan window) =>
        limiter.AddPolicy(policy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 }));
}
