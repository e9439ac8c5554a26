using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Invitations;

namespace Tenantry.Application.Invitations;

/// <summary>Configuration: Tenantry:Invitations.</summary>
public sealed class InvitationOptions
{
    /// <summary>How long an invitation (and each resend) stays acceptable.</summary>
    public TimeSpan ValidFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Optional link put in invitation emails, with <c>{invitationId}</c> and <c>{token}</c> replaced, e.g.
    /// <c>https://app.example.com/invitations/{invitationId}?token={token}</c>: the page posts the token
    /// with the accept. Without <c>{token}</c> the link still works for a verified invitee, and the email
    /// shows the token below it; unset, the email shows the invitation id and the token.
    /// </summary>
    public string? AcceptUrl { get; set; }
}

public sealed record InvitationView(
    string InvitationId, string WorkspaceId, string WorkspaceName, string Email, string RoleId, string RoleName, InvitationStatus Status,
    DateTime ExpiresAt, DateTime CreatedAt, DateTime UpdatedAt);

public static class InvitationQueries
{
    public static IQueryable<InvitationView> Views(TenantryDbContext db, IQueryable<Invitation> invitations) =>
        from i in invitations
        join w in db.Workspaces on i.WorkspaceId equals w.Id
        join r in db.WorkspaceRoles on i.RoleId equals r.Id
        orderby i.CreatedAt descending, i.Id descending
        select new InvitationView(i.Id, i.WorkspaceId, w.Name, i.Email, i.RoleId, r.Name, i.Status, i.ExpiresAt, i.CreatedAt, i.UpdatedAt);

    /// <summary>
    /// Null when a concurrent change removed it (deleting a role deletes the invitations that offered it).
    /// By its institution too: on Citus that names the invitation's shard.
    /// </summary>
    public static Task<InvitationView?> OneAsync(TenantryDbContext db, string institutionId, string invitationId, CancellationToken cancellationToken) =>
        Views(db, db.Invitations.Where(i => i.InstitutionId == institutionId && i.Id == invitationId)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A workspace's invitation by the id a client sent (tracked), or null.</summary>
    public static async Task<Invitation?> FindAsync(TenantryDbContext db, string workspaceId, string? invitationId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(invitationId, EntityId.Invitation)
            ? await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.WorkspaceId == workspaceId, cancellationToken)
            : null;

    /// <summary>
    /// The invitation <paramref name="invitationId"/> (tracked) and on what grounds the account may answer it
    /// (<see cref="InvitationAccess"/>), or null when it may not: to that account the invitation does not exist.
    /// </summary>
    public static async Task<(Invitation Invitation, InvitationClaim Claim)?> FindClaimableAsync(
        TenantryDbContext db, string? invitationId, string? token, string userId, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(invitationId, EntityId.Invitation))
        {
            return null;
        }
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId, cancellationToken);
        if (invitation is null)
        {
            return null;
        }
        var claim = await ClaimAsync(db, invitation, token, userId, cancellationToken);
        return claim == InvitationClaim.None ? null : (invitation, claim);
    }

    /// <summary>
    /// Decides the claim on what is stored now: the invited address, the caller's address and its
    /// verification, the invitation's current token and the workspace's policy. Call it again under
    /// the workspace lock (after reloading the invitation) to decide on what is committed.
    /// </summary>
    public static async Task<InvitationClaim> ClaimAsync(
        TenantryDbContext db, Invitation invitation, string? token, string userId, CancellationToken cancellationToken)
    {
        var caller = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.NormalizedEmail, u.EmailVerifiedAt }).FirstAsync(cancellationToken);
        var addressedToCaller = invitation.IsAddressedTo(caller.NormalizedEmail);
        var tokenMatches = TokenMatches(invitation, token);
        var transferAllowed = !addressedToCaller && tokenMatches
            && await db.Workspaces.AsNoTracking().Where(w => w.Id == invitation.WorkspaceId).Select(w => w.Policy).FirstOrDefaultAsync(cancellationToken)
                is { AllowInvitationTransfer: true };
        return InvitationAccess.Decide(addressedToCaller, caller.EmailVerifiedAt is not null, tokenMatches, transferAllowed);
    }

    /// <summary>
    /// <see cref="ClaimAsync"/> again on what is committed: the invitation reloaded (under the workspace lock the
    /// caller holds), <see cref="InvitationClaim.None"/> when it is gone.
    /// </summary>
    public static async Task<InvitationClaim> ReclaimAsync(
        TenantryDbContext db, Invitation invitation, string? token, string userId, CancellationToken cancellationToken)
    {
        await db.Entry(invitation).ReloadAsync(cancellationToken);
        if (db.Entry(invitation).State == EntityState.Detached)
        {
            return InvitationClaim.None;
        }
        return await ClaimAsync(db, invitation, token, userId, cancellationToken);
    }

    /// <summary>The token of the invitation's latest email, compared in constant time.</summary>
    public static bool TokenMatches(Invitation invitation, string? token) =>
        invitation.TokenHash is { } hash && !string.IsNullOrWhiteSpace(token) && token.Length <= MaxTokenLength && TokenHashing.HashEquals(hash, token.Trim());

    public const int MaxTokenLength = 128;
}

/// <summary>
/// Queues the invitation email in the caller's unit of work (the outbox), so it is stored with the
/// invitation or not at all. The token travels in the email only: the invitation keeps its hash,
/// the queued message keeps it encrypted.
/// </summary>
public sealed class InvitationEmails(TenantryDbContext db, SecretsAtRest secrets, IOptions<InvitationOptions> options)
{
    public TimeSpan ValidFor => options.Value.ValidFor;

    /// <summary>A new secret token for an invitation's email (256 random bits, base64url) and the hash the invitation keeps.</summary>
    public static (string Token, string Hash) NewToken()
    {
        var token = TokenHashing.NewSecret();
        return (token, TokenHashing.Hash(token));
    }

    public async Task QueueAsync(Invitation invitation, string token, string inviterUserId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var workspaceName = await db.Workspaces.Where(w => w.Id == invitation.WorkspaceId).Select(w => w.Name).FirstAsync(cancellationToken);
        var roleName = await db.WorkspaceRoles.Where(r => r.Id == invitation.RoleId).Select(r => r.Name).FirstAsync(cancellationToken);
        var inviter = await db.Users.Where(u => u.Id == inviterUserId).Select(u => u.DisplayName).FirstAsync(cancellationToken);
        // The request's negotiated language (set by the host's request localization).
        var language = CultureInfo.CurrentUICulture.Name;
        OutboxWriter.Enqueue(db, OutboxKinds.InvitationEmail,
            new InvitationEmailPayload(invitation.Id, invitation.Email, invitation.WorkspaceId, workspaceName, inviter, roleName, invitation.ExpiresAt, language,
                secrets.ProtectText(SecretKind.OutboxSecret, token)), now);
    }
}
