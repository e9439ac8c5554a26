using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Localization;
using Tenantry.Application.Accounts.CurrentSession;
using Tenantry.Application.Accounts.Sessions;
using Tenantry.Application.Institutions;
using Tenantry.Application.Institutions.ListMine;
using Tenantry.Application.Workspaces.ListMemberships;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;
using Tenantry.Server.Localization;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Dialects.WachtApi.Auth;
using Tenantry.Server.Dialects.WachtApi.Users;

namespace Tenantry.Server.Dialects.WachtApi;

// Wire shapes of the Wacht dialect (snake_case via WachtJsonContext), in the order of seed
// 003 with seed 002's additions (CONTRACT 6). Ids are the entities' one id; timestamps are
// ISO-8601 UTC; metadata is the stored JSON object.

/// <summary>What the mappers need besides the use case's value: the deployment id and the message catalogue.</summary>
public sealed record WachtWireContext(string DeploymentId, IStringLocalizer<Messages> Messages);

public sealed record WachtSegment(string Id, DateTime CreatedAt, DateTime UpdatedAt, string DeploymentId, string Name, string Type)
{
    public static List<WachtSegment> From(IReadOnlyList<SegmentSummary> segments, WachtWireContext context) =>
        [.. segments.Select(s => new WachtSegment(s.Id, s.CreatedAt, s.UpdatedAt, context.DeploymentId, s.Name, TypeName(s.Type)))];

    private static string TypeName(SegmentType type) => type switch
    {
        SegmentType.User => "user",
        SegmentType.Institution => "organization",
        SegmentType.Workspace => "workspace",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

/// <summary>The organization inside a workspace (seed 002): <c>{id, name, slug}</c>.</summary>
public sealed record WachtOrganizationRef(string Id, string Name, string? Slug);

public sealed record WachtWorkspace(
    string Id,
    string Name,
    string? Slug,
    string ImageUrl,
    string Description,
    int MemberCount,
    JsonElement PublicMetadata,
    JsonElement PrivateMetadata,
    [property: JsonPropertyName("enforce_2fa")] bool Enforce2fa,
    bool EnableIpRestriction,
    IReadOnlyList<string> WhitelistedIps,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    List<WachtSegment> Segments,
    WachtOrganizationRef Organization)
{
    public static WachtWorkspace From(WorkspaceSummary w, InstitutionSummary organization, WachtWireContext context)
    {
        var allowlist = w.Policy?.IpAllowlist ?? [];
        return new(w.Id, w.Name, w.Slug, w.ImageUrl ?? "", w.Description ?? "", w.MemberCount, RawJson.Parse(w.PublicMetadata), RawJson.Parse(w.PrivateMetadata),
            w.Policy?.EnforceMfa ?? false, allowlist.Count > 0, allowlist, w.CreatedAt, w.UpdatedAt, WachtSegment.From(w.Segments, context),
            new WachtOrganizationRef(organization.Id, organization.Name, organization.Slug));
    }
}

public sealed record WachtOrganization(
    string Id,
    string Name,
    string? Slug,
    string ImageUrl,
    string Description,
    int MemberCount,
    JsonElement PublicMetadata,
    JsonElement PrivateMetadata,
    bool EnforceMfa,
    bool EnableIpRestriction,
    IReadOnlyList<string> WhitelistedIps,
    string AutoAssignedWorkspaceId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    List<WachtSegment> Segments)
{
    public static WachtOrganization From(InstitutionSummary o, WachtWireContext context) =>
        new(o.Id, o.Name, o.Slug, o.ImageUrl ?? "", o.Description ?? "", o.MemberCount, RawJson.Parse(o.PublicMetadata), RawJson.Parse(o.PrivateMetadata),
            o.EnforceMfa, o.IpAllowlist.Count > 0, o.IpAllowlist, o.AutoAssignedWorkspaceId ?? "", o.CreatedAt, o.UpdatedAt,
            WachtSegment.From(o.Segments, context));
}

public sealed record WachtRole(string Id, string Name, IReadOnlyList<string> Permissions, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static WachtRole From(RoleSummary r) => new(r.Id, r.Name, r.Permissions, r.CreatedAt, r.UpdatedAt);
}

/// <summary>Wacht's <c>OrganizationRole</c>: a role with the organization it belongs to.</summary>
public sealed record WachtOrganizationRole(
    string Id, string OrganizationId, string Name, IReadOnlyList<string> Permissions, DateTime CreatedAt, DateTime UpdatedAt)
{
    /// <summary>
    /// Organization roles are fixed (Owner, Admin, Member), like Wacht's deployment-level roles,
    /// so their ids are fixed too. Owners and admins carry the permissions Wacht's SDK checks
    /// before it offers organization management.
    /// </summary>
    public static WachtOrganizationRole From(InstitutionRole role, string organizationId, DateTime organizationCreatedAt) => role switch
    {
        InstitutionRole.Owner => new(OrganizationOwnerId, organizationId, "Owner", OrganizationManagePermissions, organizationCreatedAt, organizationCreatedAt),
        InstitutionRole.Admin => new(OrganizationAdminId, organizationId, "Admin", OrganizationManagePermissions, organizationCreatedAt, organizationCreatedAt),
        _ => new(OrganizationMemberId, organizationId, "Member", [], organizationCreatedAt, organizationCreatedAt),
    };

    public const string OrganizationOwnerId = "orgrole_owner";
    public const string OrganizationAdminId = "orgrole_admin";
    public const string OrganizationMemberId = "orgrole_member";

    /// <summary>The role a fixed role id names; null for any other id.</summary>
    public static InstitutionRole? Parse(string? roleId) => roleId switch
    {
        OrganizationOwnerId => InstitutionRole.Owner,
        OrganizationAdminId => InstitutionRole.Admin,
        OrganizationMemberId => InstitutionRole.Member,
        _ => null,
    };

    /// <summary>The organization permission catalogue: what owners and admins hold.</summary>
    public static readonly IReadOnlyList<string> OrganizationManagePermissions = ["organization:admin", "organization:manage"];
}

/// <summary><c>{type, message}</c>: <c>message</c> is empty when nothing restricts the member (both sides type it as a string).</summary>
public sealed record WachtEligibility(string Type, string Message)
{
    /// <summary>For a workspace membership: the messages speak of the workspace.</summary>
    public static WachtEligibility From(EligibilityDecision decision, WachtWireContext context) => From(decision, context, "Eligibility.");

    /// <summary>For an organization membership: only its own policies apply, and the messages speak of the organization.</summary>
    public static WachtEligibility ForOrganization(EligibilityDecision decision, WachtWireContext context) =>
        From(decision, context, "Eligibility.Organization.");

    private static WachtEligibility From(EligibilityDecision decision, WachtWireContext context, string messagePrefix)
    {
        var restriction = decision.Restriction;
        return new(TypeName(restriction), restriction == EligibilityRestriction.None ? "" : context.Messages.Text(messagePrefix + restriction));
    }

    public static string TypeName(EligibilityRestriction restriction) => restriction switch
    {
        EligibilityRestriction.None => "none",
        EligibilityRestriction.IpNotAllowed => "ip_not_allowed",
        EligibilityRestriction.MfaRequired => "mfa_required",
        EligibilityRestriction.IpAndMfaRequired => "ip_and_mfa_required",
        EligibilityRestriction.WorkspaceSuspended => "workspace_suspended",
        EligibilityRestriction.MembershipInactive => "membership_inactive",
        _ => throw new ArgumentOutOfRangeException(nameof(restriction), restriction, null),
    };
}

/// <summary>One item of <c>/me/workspace-memberships</c>: the superset of seeds 002 and 003.</summary>
public sealed record WachtWorkspaceMembership(
    string Id,
    WachtWorkspace Workspace,
    string OrganizationId,
    string UserId,
    List<WachtRole> Roles,
    IReadOnlyList<string> Permissions,
    WachtOrganization Organization,
    JsonElement PublicMetadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    WachtEligibility EligibilityRestriction)
{
    public static WachtWorkspaceMembership From(MembershipDetail m, WachtWireContext context) =>
        new(m.Id, WachtWorkspace.From(m.Workspace, m.Institution, context), m.Institution.Id, m.UserId,
            [WachtRole.From(m.Role)], m.Role.Permissions, WachtOrganization.From(m.Institution, context),
            EmptyObject(), m.CreatedAt, m.UpdatedAt, WachtEligibility.From(m.Eligibility, context));

    private static readonly JsonElement s_emptyObject = RawJson.Parse("{}");

    /// <summary>Memberships carry no metadata of their own yet.</summary>
    internal static JsonElement EmptyObject() => s_emptyObject;
}

/// <summary>One item of <c>/me/organization-memberships</c> (Wacht's <c>OrganizationMembershipWithOrganization</c>).</summary>
public sealed record WachtOrganizationMembership(
    string Id,
    WachtOrganization Organization,
    string UserId,
    List<WachtOrganizationRole> Roles,
    JsonElement PublicMetadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    WachtEligibility EligibilityRestriction)
{
    public static WachtOrganizationMembership From(InstitutionMembershipDetail m, WachtWireContext context) =>
        new(m.Id, WachtOrganization.From(m.Institution, context), m.UserId, [WachtOrganizationRole.From(m.Role, m.Institution.Id, m.Institution.CreatedAt)],
            WachtWorkspaceMembership.EmptyObject(), m.CreatedAt, m.UpdatedAt, WachtEligibility.ForOrganization(m.Eligibility, context));
}

/// <summary>
/// A sign-in (Tenantry has one per session, with the session's id), with the fields Wacht's account page reads
/// (<c>session_id</c>, <c>browser</c>, <c>device</c> and the place, which Tenantry does not know: empty) and its <c>user</c>.
/// </summary>
public sealed record WachtSignIn(
    string Id,
    string SessionId,
    string UserId,
    string? ActiveOrganizationMembershipId,
    string? ActiveWorkspaceMembershipId,
    string? IpAddress,
    string? UserAgent,
    string Browser,
    string Device,
    string City,
    string Region,
    string RegionCode,
    string Country,
    string CountryCode,
    DateTime ExpiresAt,
    DateTime LastActiveAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    WachtUser User)
{
    public static WachtSignIn From(SessionOverview s) =>
        new(s.Id, s.Id, s.UserId, s.Active.InstitutionMembershipId, s.Active.WorkspaceMembershipId, s.ClientIp, s.UserAgent, "", "", "", "", "", "", "",
            s.ExpiresAt, s.UpdatedAt, s.CreatedAt, s.UpdatedAt, WachtUser.From(s.User));

    /// <summary>Another session of the same account: the active memberships are the account's, so they are the current sign-in's.</summary>
    public static WachtSignIn From(SessionSummary s, WachtSignIn current) =>
        new(s.Id, s.Id, current.UserId, current.ActiveOrganizationMembershipId, current.ActiveWorkspaceMembershipId, s.ClientIp, s.UserAgent,
            "", "", "", "", "", "", "", s.ExpiresAt, s.UpdatedAt, s.CreatedAt, s.UpdatedAt, current.User);
}

/// <summary>
/// The <c>session</c> block of every success answer and the data of <c>GET /session</c>: seed
/// 003's <c>id, created_at, updated_at</c> with seed 002's sign-in lists.
/// </summary>
public sealed record WachtSession(
    string Id,
    DateTime? CreatedAt,
    DateTime? UpdatedAt,
    List<WachtSigninAttempt> SigninAttempts,
    List<WachtSignIn> Signins,
    List<WachtSignupAttempt> SignupAttempts,
    WachtSignIn? ActiveSignin)
{
    /// <summary>A browser that is not signed in (or has signed out): no id, no sign-ins, <c>active_signin</c> null, as the SDK expects after a sign-out.</summary>
    public static readonly WachtSession Anonymous = new("", null, null, [], [], [], null);

    public static WachtSession From(SessionOverview s)
    {
        var signIn = WachtSignIn.From(s);
        return new(s.Id, s.CreatedAt, s.UpdatedAt, [], [signIn], [], signIn);
    }
}
