using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Institutions.Update;

/// <summary>
/// Those who run an institution (Owner or Admin) change its name and description (Wacht's <c>/organizations/{id}/update</c>).
/// Its policies stay the operator's (<see cref="InstitutionPolicyIsOperators"/> for a policy sent with another value): they
/// apply to every workspace of the institution, and an operator decides them with the customer, as with suspension. A change
/// is audited and delivered as <c>institution.updated</c> (the fields, never their values); an update that changes nothing
/// records nothing.
/// </summary>
public sealed class UpdateInstitutionHandler(
    TenantryDbContext db, IValidator<UpdateInstitutionCommand> validator, TimeProvider clock)
{
    public async Task<Result<InstitutionSummary>> HandleAsync(
        string institutionId, UpdateInstitutionCommand command, Caller caller, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Result<InstitutionSummary>>(async transaction =>
        {
            var standing = await InstitutionStandings.LockForManagerAsync(db, institutionId, caller, cancellationToken);
            if (!standing.IsSuccess)
            {
                return standing.Error;
            }
            if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
            {
                return invalid;
            }
            var institution = await db.Institutions.FirstAsync(i => i.Id == institutionId, cancellationToken);
            if (ChangedPolicy(institution, command) is { } policy)
            {
                return new InstitutionPolicyIsOperators(policy);
            }

            var now = clock.GetUtcNow();
            var fields = new List<string>();
            if (command.Name.HasValue && command.Name.Value!.Trim() != institution.Name)
            {
                institution.Rename(command.Name.Value, now);
                fields.Add("name");
            }
            if (command.Description.HasValue && (string.IsNullOrWhiteSpace(command.Description.Value) ? null : command.Description.Value.Trim()) != institution.Description)
            {
                institution.Describe(command.Description.Value, now);
                fields.Add("description");
            }
            if (fields.Count > 0)
            {
                db.AuditEvents.Add(AuditEvent.Record(institutionId, null, caller.UserId, AuditActions.InstitutionUpdated,
                    AuditTargets.Institution, institutionId, caller.ClientIpText, AuditDetails.Of(("fields", fields)), now));
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            // Those who run the institution see its private metadata.
            return (await InstitutionSummaries.LoadAsync(db, [institutionId], new HashSet<string> { institutionId }, cancellationToken))[institutionId];
        }, cancellationToken);
    }

    /// <summary>The first policy the command sends with a value other than the institution's.</summary>
    private static InstitutionPolicy? ChangedPolicy(Institution institution, UpdateInstitutionCommand command)
    {
        if (command.EnforceMfa is { } enforce && enforce != institution.EnforceMfa)
        {
            return InstitutionPolicy.EnforceMfa;
        }
        if (command.IpAllowlist is { } allowlist
            && (!IpAllowlist.TryNormalize(allowlist, out var blocks, out _) || !blocks.ToHashSet().SetEquals(institution.IpAllowlist)))
        {
            return InstitutionPolicy.IpAllowlist;
        }
        if (command.AutoAssignedWorkspaceId is { } workspaceId && workspaceId != (institution.AutoAssignedWorkspaceId ?? ""))
        {
            return InstitutionPolicy.AutoAssignedWorkspace;
        }
        return null;
    }
}
