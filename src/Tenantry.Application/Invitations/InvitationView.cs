using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Outbox;
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
    /// Optional link put in invitation emails, with <c>{invitationId}</c> replaced, e.g.
    /// <c>https://app.example.com/invitations/{invitationId}</c>. The link carries no secret:
    /// only the signed-in account whose email matches can accept.
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

    /// <summary>Null when a concurrent change removed it (deleting a role deletes the invitations that offered it).</summary>
    public static Task<InvitationView?> OneAsync(TenantryDbContext db, string invitationId, CancellationToken cancellationToken) =>
        Views(db, db.Invitations.Where(i => i.Id == invitationId)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A workspace's invitation by the id a client sent (tracked), or null.</summary>
    public static async Task<Invitation?> FindAsync(TenantryDbContext db, string workspaceId, string? invitationId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(invitationId, EntityId.Invitation)
            ? await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.WorkspaceId == workspaceId, cancellationToken)
            : null;

    /// <summary>
    /// The invitation <paramref name="invitationId"/> if it is addressed to <paramref name="userId"/>'s email, else null:
    /// to everyone else an invitation does not exist.
    /// </summary>
    public static async Task<Invitation?> FindAddressedToAsync(TenantryDbContext db, string? invitationId, string userId, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(invitationId, EntityId.Invitation))
        {
            return null;
        }
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.NormalizedEmail).FirstAsync(cancellationToken);
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId, cancellationToken);
        return invitation is not null && invitation.IsAddressedTo(email) ? invitation : null;
    }
}

/// <summary>Queues the invitation email in the caller's unit of work (the outbox), so it is stored with the invitation or not at all.</summary>
public sealed class InvitationEmails(TenantryDbContext db, IOptions<InvitationOptions> options)
{
    public TimeSpan ValidFor => options.Value.ValidFor;

    public async Task QueueAsync(Invitation invitation, string inviterUserId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var workspaceName = await db.Workspaces.Where(w => w.Id == invitation.WorkspaceId).Select(w => w.Name).FirstAsync(cancellationToken);
        var roleName = await db.WorkspaceRoles.Where(r => r.Id == invitation.RoleId).Select(r => r.Name).FirstAsync(cancellationToken);
        var inviter = await db.Users.Where(u => u.Id == inviterUserId).Select(u => u.DisplayName).FirstAsync(cancellationToken);
        // The request's negotiated language (set by the host's request localization).
        var language = CultureInfo.CurrentUICulture.Name;
        OutboxWriter.Enqueue(db, OutboxKinds.InvitationEmail,
            new InvitationEmailPayload(invitation.Id, invitation.Email, invitation.WorkspaceId, workspaceName, inviter, roleName, invitation.ExpiresAt, language), now);
    }
}
