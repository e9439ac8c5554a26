using Microsoft.Extensions.Options;
using Tenantry.Application.Operator.UpdateInstitution;
using Tenantry.Application.Operator.UpdateMemberStatus;
using Tenantry.Application.Operator.UpdateWorkspace;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.Shared.Json;

namespace Tenantry.Server.Dialects.OperatorApi;

/// <summary>
/// The operator API (CONTRACT 7 and 8): suspension, member status, policies and metadata, accounts. Needs
/// <c>X-Admin-Key</c>, checked for the whole prefix by <see cref="OperatorKeyGate"/>; never accepts
/// user tokens. Not mapped at all when no key is configured.
/// </summary>
internal static class OperatorEndpoints
{
    public static void Map(WebApplication app)
    {
        var key = app.Services.GetRequiredService<IOptions<TenantryOptions>>().Value.AdminApiKey;
        if (string.IsNullOrEmpty(key))
        {
            return;
        }
        // The key was checked before routing and binding (OperatorKeyGate): nothing here runs without it.
        var admin = app.MapGroup(OperatorDialect.Prefix)
            .WithTags("Operator");

        // Search, paging, accounts, suspension of institutions, members, audit trail and signing keys (the CLI's operator commands).
        OperatorDirectoryEndpoints.Map(admin);

        admin.MapPatch("/workspaces/{workspaceBizId}", async (string workspaceBizId, AdminUpdateWorkspaceRequest body, AdminUpdateWorkspaceHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(workspaceBizId, new AdminUpdateWorkspaceCommand(
                    body.Field(nameof(body.WorkspaceStatus), body.WorkspaceStatus),
                    body.Field(nameof(body.PolicyConfig), body.PolicyConfig?.ToInput()),
                    body.Field(nameof(body.PublicMetadata), RawJson.Text(body.PublicMetadata)),
                    body.Field(nameof(body.PrivateMetadata), RawJson.Text(body.PrivateMetadata)),
                    body.Field(nameof(body.Description), body.Description),
                    body.Field(nameof(body.ImageUrl), body.ImageUrl),
                    body.Field(nameof(body.Slug), body.Slug),
                    body.Field<IReadOnlyList<string?>?>(nameof(body.Segments), body.Segments)), ct), AdminWorkspaceResponse.From))
            .WithSummary("Suspend or reactivate a workspace; set its policy, metadata, slug and segments")
            .Produces<EnvelopeDoc<AdminWorkspaceResponse>>();

        admin.MapPatch("/workspaces/{workspaceBizId}/members/{userBizId}", async (string workspaceBizId, string userBizId, AdminUpdateMemberRequest body, AdminUpdateMemberStatusHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(workspaceBizId, userBizId, new AdminUpdateMemberStatusCommand(body.Status), ct), AdminMembershipResponse.From))
            .WithSummary("Activate or deactivate one membership")
            .Produces<EnvelopeDoc<AdminMembershipResponse>>();

        admin.MapPatch("/institutions/{institutionBizId}", async (string institutionBizId, AdminUpdateInstitutionRequest body, AdminUpdateInstitutionHandler handler, CancellationToken ct) =>
                OperatorResults.From(await handler.HandleAsync(institutionBizId, new AdminUpdateInstitutionCommand(
                    body.Field(nameof(body.Name), body.Name),
                    body.Field(nameof(body.Slug), body.Slug),
                    body.Field(nameof(body.PublicMetadata), RawJson.Text(body.PublicMetadata)),
                    body.Field(nameof(body.PrivateMetadata), RawJson.Text(body.PrivateMetadata)),
                    body.Field(nameof(body.EnforceMfa), body.EnforceMfa),
                    body.Field<IReadOnlyList<string?>?>(nameof(body.IpAllowlist), body.IpAllowlist),
                    body.Field(nameof(body.AutoAssignedWorkspaceBizId), body.AutoAssignedWorkspaceBizId)), ct), AdminInstitutionResponse.From))
            .WithSummary("Set an institution's name, slug, metadata and policies (MFA, IP allow-list, auto-assigned workspace)")
            .Produces<EnvelopeDoc<AdminInstitutionResponse>>();

        OperatorWebhookEndpoints.Map(admin);
    }
}
