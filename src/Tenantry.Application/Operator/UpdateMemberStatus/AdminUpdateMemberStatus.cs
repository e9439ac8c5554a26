using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Operator.UpdateMemberStatus;

public sealed record AdminUpdateMemberStatusCommand(string? Status);

public sealed class AdminUpdateMemberStatusValidator : AbstractValidator<AdminUpdateMemberStatusCommand>
{
    public static readonly string[] Statuses = ["ACTIVE", "INACTIVE"];

    public AdminUpdateMemberStatusValidator() => RuleFor(c => c.Status).Required().OneOf(Statuses);
}

/// <summary>
/// Activates or deactivates one membership. An inactive member keeps the workspace in their
/// list (not enterable) and keeps it as default if it was: like suspension, deactivation
/// does not move the default.
/// </summary>
public sealed class AdminUpdateMemberStatusHandler(TenantryDbContext db, IValidator<AdminUpdateMemberStatusCommand> validator, TimeProvider clock)
{
    public async Task<Result<AdminMembershipView>> HandleAsync(
        string workspaceId, string userId, AdminUpdateMemberStatusCommand command, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var membership = await db.WorkspaceMemberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return new NotFound();
        }
        var status = command.Status == "INACTIVE" ? MembershipStatus.Inactive : MembershipStatus.Active;
        if (membership.Status != status)
        {
            var now = clock.GetUtcNow();
            membership.SetStatus(status, now);
            db.AuditEvents.Add(AuditEvent.Record(membership.InstitutionId, workspaceId, AuditActors.Operator, AuditActions.MemberStatusChanged,
                AuditTargets.Member, userId, null, AuditDetails.Of(("status", command.Status)), now));
            await db.SaveChangesAsync(cancellationToken);
        }
        return AdminMembershipView.From(membership);
    }
}
