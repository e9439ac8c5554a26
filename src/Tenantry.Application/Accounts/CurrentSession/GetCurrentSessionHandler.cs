using Microsoft.Extensions.DependencyInjection;
using Tenantry.Application.Accounts.Authentication;
using Tenantry.Application.Common;
using Tenantry.Application.Organizations;
using Tenantry.Application.Workspaces.ListMemberships;
using Tenantry.Data;

namespace Tenantry.Application.Accounts.CurrentSession;

/// <summary>
/// The caller's session as the Wacht dialect shows it: one sign-in per session (the session id
/// is also the sign-in id, and the SYSTEM <c>sessionId</c>), with the active organization and
/// workspace memberships.
/// </summary>
public sealed record CurrentSessionView(
    string Id,
    string UserId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime ExpiresAt,
    string? ClientIp,
    string? UserAgent,
    bool MfaVerified,
    ActiveMemberships Active);

/// <summary>
/// Sent with every Wacht answer, so it reads no database on a warm request: the session from
/// the session check's cache (<see cref="SessionStates"/>), the active memberships from the
/// caller's cached memberships (<see cref="MyMembershipsCache"/>); both drop what a write made stale.
/// </summary>
public sealed class GetCurrentSessionHandler(SessionStates sessions, MyMembershipsCache memberships, IServiceProvider services)
{
    public async Task<CurrentSessionView> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(caller.SessionId, Database)
            ?? throw new InvalidOperationException("The authenticated session no longer exists.");
        var active = await memberships.ActiveAsync(caller, Database, cancellationToken);
        return new CurrentSessionView(caller.SessionId, session.UserId, session.CreatedAt, session.UpdatedAt, session.ExpiresAt,
            session.ClientIp, session.UserAgent, session.MfaVerifiedAt is not null, active);
    }

    // The request's pooled context is leased only on a cache miss.
    private TenantryDbContext Database() => services.GetRequiredService<TenantryDbContext>();
}
