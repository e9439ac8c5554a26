using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Memberships;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>Direct database set-up for cases the HTTP API cannot reach on its own yet.</summary>
public static class Seed
{
    /// <summary>Makes <paramref name="userId"/> a member of the workspace in the named role, as an operator assignment would.</summary>
    public static Task AddMemberAsync(this TenantryApp app, string workspaceId, string userId, string roleName = WorkspaceRole.MemberName) =>
        app.WithDbAsync(db => db.AddMemberAsync(workspaceId, userId, roleName));

    /// <inheritdoc cref="AddMemberAsync(TenantryApp, string, string, string)"/>
    public static async Task AddMemberAsync(this TenantryDbContext db, string workspaceId, string userId, string roleName = WorkspaceRole.MemberName)
    {
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId);
        var role = await db.WorkspaceRoles.SingleAsync(r => r.WorkspaceId == workspaceId && r.Name == roleName);
        db.WorkspaceMemberships.Add(WorkspaceMembership.Join(workspace.InstitutionId, workspaceId, userId, role.Id, JoinSource.Assigned, DateTimeOffset.UtcNow));
        workspace.MemberAdded();
        await db.SaveChangesAsync();
    }

    /// <summary>The outbox messages whose payload mentions <paramref name="text"/> (an invitation id, an email: case-insensitively).</summary>
    public static Task<List<Data.Outbox.OutboxMessage>> OutboxAsync(this TenantryApp app, string text) =>
        app.WithDbAsync(async db => (await db.OutboxMessages.AsNoTracking().ToListAsync()).Where(m => m.Payload.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList());
}
