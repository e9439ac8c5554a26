using System.Runtime.CompilerServices;
using Tenantry.Application.Accounts.Authentication;
using Tenantry.Application.Common;
using Tenantry.Application.Institutions;
using Tenantry.Application.Workspaces.ListMemberships;
using Tenantry.Data;

namespace Tenantry.Application.Accounts.CurrentSession;

/// <summary>
/// The caller's session: when and from where it signed in, whether it passed MFA, and the
/// institution and workspace memberships it is working in (<see cref="ActiveMemberships"/>).
/// </summary>
public sealed record SessionOverview(
    string Id,
    string UserId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime ExpiresAt,
    string? ClientIp,
    string? UserAgent,
    bool MfaVerified,
    ActiveMemberships Active,
    SessionUser User);

/// <summary>Who the session belongs to, as a front end shows the signed-in user.</summary>
public sealed record SessionUser(string Id, string Email, string DisplayName, DateTime? EmailVerifiedAt);

/// <summary>
/// Read on every request of a front end that shows the session with each answer, so it reads no
/// database on a warm request: the session from the session check's cache (<see cref="SessionStates"/>),
/// the active memberships from the caller's cached memberships (<see cref="MyMembershipsCache"/>);
/// both drop what a write made stale.
/// </summary>
/// <remarks>
/// While both cached snapshots stay the same, so does the overview: the same instance is given
/// again, so a dialect can keep what it renders from it (<c>WachtSessions</c>) and a warm request
/// builds nothing. A new session or memberships snapshot (refresh, sign-out, switch, any change)
/// makes a new overview.
/// </remarks>
public sealed class GetCurrentSessionHandler(SessionStates sessions, MyMembershipsCache memberships, Lazy<TenantryDbContext> db)
{
    // Keyed by the cached session snapshot, so an entry lives exactly as long as that snapshot.
    private static readonly ConditionalWeakTable<SessionState, SessionOverview> s_overviews = new();

    public async Task<SessionOverview> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        // The request's pooled context is leased only on a cache miss.
        var session = await sessions.GetAsync(caller.SessionId, db)
            ?? throw new InvalidOperationException("The authenticated session no longer exists.");
        var (snapshot, _) = await memberships.GetAsync(caller, () => MembershipSnapshots.LoadAsync(db.Value, caller.UserId, cancellationToken));
        if (s_overviews.TryGetValue(session, out var kept) && ReferenceEquals(kept.Active, snapshot.Active))
        {
            return kept;
        }
        // The session snapshot was found by the caller's session id, so its Id is that one.
        var overview = new SessionOverview(session.Id, session.UserId, session.CreatedAt, session.UpdatedAt, session.ExpiresAt,
            session.ClientIp, session.UserAgent, session.MfaVerifiedAt is not null, snapshot.Active,
            new SessionUser(session.UserId, session.Email, session.DisplayName, session.EmailVerifiedAt));
        s_overviews.AddOrUpdate(session, overview);
        return overview;
    }
}
