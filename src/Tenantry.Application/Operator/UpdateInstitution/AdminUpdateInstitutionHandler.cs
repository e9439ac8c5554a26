using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Operator.UpdateInstitution;

public sealed class AdminUpdateInstitutionHandler(TenantryDbContext db, IValidator<AdminUpdateInstitutionCommand> validator, TimeProvider clock)
{
    public async Task<Result<AdminInstitutionView>> HandleAsync(
        string institutionId, AdminUpdateInstitutionCommand command, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var institution = await db.Institutions.FirstOrDefaultAsync(i => i.Id == institutionId, cancellationToken);
        if (institution is null)
        {
            return new NotFound();
        }

        var now = clock.GetUtcNow();
        if (command.AutoAssignedWorkspaceBizId.HasValue)
        {
            var workspaceId = string.IsNullOrWhiteSpace(command.AutoAssignedWorkspaceBizId.Value) ? null : command.AutoAssignedWorkspaceBizId.Value;
            if (workspaceId is not null
                && !await db.Workspaces.AnyAsync(w => w.Id == workspaceId && w.InstitutionId == institution.Id, cancellationToken))
            {
                // Only a workspace of this institution can be the landing workspace of its new members.
                return new ValidationFailed(new FieldError("$." + nameof(command.AutoAssignedWorkspaceBizId), ValidationCodes.InvalidId));
            }
            institution.SetAutoAssignedWorkspace(workspaceId, now);
        }
        if (command.Name.HasValue)
        {
            institution.Rename(command.Name.Value!, now);
        }
        if (command.Slug.HasValue)
        {
            institution.SetSlug(string.IsNullOrWhiteSpace(command.Slug.Value) ? null : command.Slug.Value, now);
        }
        if (command.PublicMetadata.HasValue)
        {
            institution.SetPublicMetadata(command.PublicMetadata.Value ?? JsonText.EmptyObject, now);
        }
        if (command.PrivateMetadata.HasValue)
        {
            institution.SetPrivateMetadata(command.PrivateMetadata.Value ?? JsonText.EmptyObject, now);
        }
        if (command.EnforceMfa.HasValue)
        {
            institution.SetEnforceMfa(command.EnforceMfa.Value!.Value, now);
        }
        if (command.IpAllowlist.HasValue)
        {
            IpAllowlist.TryNormalize(command.IpAllowlist.Value ?? [], out var blocks, out _);
            institution.SetIpAllowlist(blocks, now);
        }
        db.AuditEvents.Add(AuditEvent.Record(institution.Id, null, AuditActors.Operator, AuditActions.InstitutionUpdated,
            AuditTargets.Institution, institution.Id, null, AuditDetails.Of(("fields", Present(command))), now));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.InstitutionSlug))
        {
            return new ValidationFailed(new FieldError("$." + nameof(command.Slug), ValidationCodes.SlugTaken));
        }
        return AdminInstitutionView.From(institution);
    }

    /// <summary>The names of the fields the operator sent, for the audit event (values may be private).</summary>
    private static string[] Present(AdminUpdateInstitutionCommand c) =>
        new (string Name, bool Sent)[]
        {
            ("name", c.Name.HasValue), ("slug", c.Slug.HasValue), ("publicMetadata", c.PublicMetadata.HasValue),
            ("privateMetadata", c.PrivateMetadata.HasValue), ("enforceMfa", c.EnforceMfa.HasValue), ("ipAllowlist", c.IpAllowlist.HasValue),
            ("autoAssignedWorkspaceBizId", c.AutoAssignedWorkspaceBizId.HasValue),
        }.Where(f => f.Sent).Select(f => f.Name).ToArray();
}
