using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tenantry.Domain.Memberships;
using Tenantry.Server.Configuration;

namespace Tenantry.Server.Dialects.WachtApi.Deployment;

// Wacht's Deployment object (wacht-types deployment.ts), built from Tenantry's configuration and
// rules: what the SDK reads to decide which screens and factors to offer. Every string is a string
// (empty when there is nothing to say); ids are derived from the deployment id.

/// <summary>The deployment as configured when the server started; the request only decides the origin of relative page URLs.</summary>
public sealed class WachtDeploymentSettings(WachtOptions wacht, string? publicOrigin, bool staging, DateTime loadedAt)
{
    public WachtOptions Wacht => wacht;

    /// <summary><c>staging</c> exactly when development sessions are on: only then does the SDK's staging mode (the token in <c>__dev_session__</c>) authenticate.</summary>
    public bool Staging => staging;

    public DateTime LoadedAt => loadedAt;

    /// <summary>The service's origin as browsers see it: <c>Tenantry:PublicOrigin</c>, else the request's.</summary>
    public string OriginOf(HttpRequest request) => publicOrigin ?? Security.TrustedOrigins.OwnOrigin(request);
}

/// <summary>What Wacht cannot switch off in its deployment object but Tenantry does not serve; their routes answer 404.</summary>
public static class WachtDisabledFeatures
{
    public static readonly string[] All =
    [
        "ai_agents", "notifications", "webhook_app", "api_auth_apps", "waitlist", "passkeys", "phone_numbers", "social_sso", "enterprise_sso",
        "magic_links", "verified_domains",
    ];
}

/// <summary>Wacht's <c>Deployment</c>, with one addition: <c>disabled_features</c>, the Wacht features Tenantry does not serve (their routes answer 404).</summary>
public sealed record WachtDeployment(
    string Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    JsonElement? DeletedAt,
    bool MaintenanceMode,
    string BackendHost,
    string FrontendHost,
    string MailFromHost,
    string PublishableKey,
    [property: JsonPropertyName("b2b_settings")] WachtB2BSettings B2bSettings,
    WachtAuthSettings AuthSettings,
    WachtRestrictions Restrictions,
    IReadOnlyList<object> SocialConnections,
    WachtUiSettings UiSettings,
    string ProjectId,
    string Mode,
    IReadOnlyList<string> DisabledFeatures)
{
    public static WachtDeployment From(WachtDeploymentSettings settings, HttpRequest request)
    {
        var wacht = settings.Wacht;
        var id = wacht.DeploymentId;
        var at = settings.LoadedAt;
        var origin = settings.OriginOf(request);
        // A scheme forwarded by a trusted proxy is taken as it comes, so the origin built from it need not parse.
        var host = Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? uri.Authority : request.Host.Value ?? "";
        var frontendHost = wacht.AllowedOrigins.Count > 0 ? new Uri(wacht.AllowedOrigins[0]).Authority : host;
        // Wacht's publishable key names the backend: pk_{test|live}_{base64 of the URL}; an app can take it from here.
        var publishableKey = $"pk_{(settings.Staging ? "test" : "live")}_{Convert.ToBase64String(Encoding.UTF8.GetBytes(origin))}";
        return new(id, at, at, null, false, origin, frontendHost, "", publishableKey, WachtB2BSettings.For(id, at), WachtAuthSettings.For(id, at),
            WachtRestrictions.For(id, at), [], WachtUiSettings.From(wacht.Ui, id, origin), id, settings.Staging ? "staging" : "production",
            WachtDisabledFeatures.All);
    }
}

/// <summary>
/// Organizations are institutions, with the fixed roles Owner, Admin and Member; workspaces have custom roles over
/// the permission catalogue; both have IP allow-lists and enforced MFA. A user creates one workspace of their own
/// (and with it the organization they own); nothing is deleted from the SDK. One addition: <c>self_created_workspaces_per_user</c>,
/// the rule Wacht has no field for.
/// </summary>
public sealed record WachtB2BSettings(
    string Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    JsonElement? DeletedAt,
    string DeploymentId,
    bool OrganizationsEnabled,
    bool WorkspacesEnabled,
    bool IpAllowlistPerOrgEnabled,
    bool AllowUsersToCreateOrgs,
    int MaxOrgsPerUser,
    int MaxAllowedOrgMembers,
    int MaxAllowedWorkspaceMembers,
    bool AllowOrgDeletion,
    bool AllowWorkspaceDeletion,
    bool CustomOrgRoleEnabled,
    bool LimitOrgCreationPerUser,
    bool LimitWorkspaceCreationPerOrg,
    int OrgCreationPerUserCount,
    int WorkspacesPerOrgCount,
    bool CustomWorkspaceRoleEnabled,
    string DefaultWorkspaceCreatorRoleId,
    string DefaultWorkspaceMemberRoleId,
    string DefaultOrgCreatorRoleId,
    string DefaultOrgMemberRoleId,
    IReadOnlyList<string> WorkspacePermissions,
    IReadOnlyList<string> OrganizationPermissions,
    bool IpAllowlistPerWorkspaceEnabled,
    bool EnforceMfaPerOrgEnabled,
    bool EnforceMfaPerWorkspaceEnabled,
    bool EnterpriseSsoEnabled,
    int SelfCreatedWorkspacesPerUser)
{
    /// <summary>Member limits: 0, Tenantry sets none.</summary>
    private const int NoLimit = 0;

    public static WachtB2BSettings For(string deploymentId, DateTime at) => new(
        "b2b_" + deploymentId, at, at, null, deploymentId,
        OrganizationsEnabled: true, WorkspacesEnabled: true, IpAllowlistPerOrgEnabled: true,
        // An organization comes with the user's own workspace (POST /organizations creates both): once per user.
        AllowUsersToCreateOrgs: true, MaxOrgsPerUser: 1, MaxAllowedOrgMembers: NoLimit, MaxAllowedWorkspaceMembers: NoLimit,
        AllowOrgDeletion: false, AllowWorkspaceDeletion: false, CustomOrgRoleEnabled: false,
        LimitOrgCreationPerUser: true, LimitWorkspaceCreationPerOrg: false, OrgCreationPerUserCount: 1, WorkspacesPerOrgCount: NoLimit,
        CustomWorkspaceRoleEnabled: true,
        // Workspace roles belong to their workspace, so there is no deployment-wide id to name; organization roles are fixed.
        DefaultWorkspaceCreatorRoleId: "", DefaultWorkspaceMemberRoleId: "",
        DefaultOrgCreatorRoleId: WachtOrganizationRole.OrganizationOwnerId, DefaultOrgMemberRoleId: WachtOrganizationRole.OrganizationMemberId,
        WorkspacePermissions: Permissions.All, OrganizationPermissions: WachtOrganizationRole.OrganizationManagePermissions,
        IpAllowlistPerWorkspaceEnabled: true, EnforceMfaPerOrgEnabled: true, EnforceMfaPerWorkspaceEnabled: true, EnterpriseSsoEnabled: false,
        SelfCreatedWorkspacesPerUser: 1);
}

public sealed record WachtAuthField(bool Enabled, bool Required)
{
    public static readonly WachtAuthField Off = new(false, false);
}

public sealed record WachtPasskeySettings(bool Enabled, bool PromptRegistrationOnAuth, bool AllowAutofill);

public sealed record WachtAuthFactors(
    bool EmailPassword, bool UsernamePassword, bool EmailMagicLink, bool EmailOtp, bool PhoneOtp,
    [property: JsonPropertyName("web3_wallet")] bool Web3Wallet, bool BackupCode, bool Authenticator);

public sealed record WachtVerificationPolicy(bool PhoneNumber, bool Email);

public sealed record WachtMultiSession(bool Enabled, int MaxAccountsPerSession, int MaxSessionsPerAccount);

/// <summary>Email and password first; a TOTP authenticator (or a backup code) second, for those who enrol; nothing else.</summary>
public sealed record WachtAuthSettings(
    string Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    JsonElement? DeletedAt,
    WachtAuthField EmailAddress,
    WachtAuthField PhoneNumber,
    WachtAuthField Username,
    WachtAuthField FirstName,
    WachtAuthField LastName,
    WachtAuthField Password,
    WachtAuthField BackupCode,
    [property: JsonPropertyName("web3_wallet")] WachtAuthField Web3Wallet,
    WachtAuthField PasswordPolicy,
    WachtAuthField MagicLink,
    WachtPasskeySettings Passkey,
    WachtAuthFactors AuthFactorsEnabled,
    WachtVerificationPolicy VerificationPolicy,
    string SecondFactorPolicy,
    string FirstFactor,
    string SecondFactor,
    IReadOnlyList<string> AlternateFirstFactors,
    IReadOnlyList<string> AlternateSecondFactors,
    WachtMultiSession MultiSessionSupport,
    string DeploymentId)
{
    public static WachtAuthSettings For(string deploymentId, DateTime at) => new(
        "auth_" + deploymentId, at, at, null,
        EmailAddress: new(true, true), PhoneNumber: WachtAuthField.Off, Username: WachtAuthField.Off,
        // One display name: given as the first name, the last name is appended to it.
        FirstName: new(true, true), LastName: new(true, false),
        Password: new(true, true), BackupCode: new(true, false), Web3Wallet: WachtAuthField.Off, PasswordPolicy: new(true, true),
        MagicLink: WachtAuthField.Off, Passkey: new(false, false, false),
        AuthFactorsEnabled: new(EmailPassword: true, UsernamePassword: false, EmailMagicLink: false, EmailOtp: false, PhoneOtp: false, Web3Wallet: false,
            BackupCode: true, Authenticator: true),
        // Sign-up sends a verification email, but an unverified account may sign in (README: verified email addresses).
        VerificationPolicy: new(PhoneNumber: false, Email: false),
        SecondFactorPolicy: "optional", FirstFactor: "email_password", SecondFactor: "authenticator",
        AlternateFirstFactors: [], AlternateSecondFactors: ["backup_code"],
        // One sign-in per session: switching accounts means signing out.
        MultiSessionSupport: new(false, 1, 0),
        DeploymentId: deploymentId);
}

public sealed record WachtCountryRestriction(bool Enabled, IReadOnlyList<string> CountryCodes);

/// <summary>Anyone may sign up with any address; Tenantry has no allow- or block-lists of its own.</summary>
public sealed record WachtRestrictions(
    string Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    JsonElement? DeletedAt,
    string DeploymentId,
    bool AllowlistEnabled,
    bool BlocklistEnabled,
    bool BlockSubaddresses,
    bool BlockDisposableEmails,
    bool BlockVoipNumbers,
    WachtCountryRestriction CountryRestrictions,
    IReadOnlyList<string> BannedKeywords,
    IReadOnlyList<string> AllowlistedResources,
    IReadOnlyList<string> BlocklistedResources,
    string SignUpMode)
{
    public static WachtRestrictions For(string deploymentId, DateTime at) =>
        new("restrictions_" + deploymentId, at, at, null, deploymentId, false, false, false, false, false, new(false, []), [], [], [], "public");
}

/// <summary>The pages around the SDK's components, from <c>Tenantry:Wacht:Ui</c>.</summary>
public sealed record WachtUiSettings(
    string DeploymentId,
    string AppName,
    string PrivacyPolicyUrl,
    string TosPageUrl,
    string SignInPageUrl,
    string SignUpPageUrl,
    string WaitlistPageUrl,
    string SupportPageUrl,
    string AfterLogoClickUrl,
    string UserProfileUrl,
    string OrganizationProfileUrl,
    string CreateOrganizationUrl,
    string AfterSignOutOnePageUrl,
    string AfterSignOutAllPageUrl,
    string AfterSignupRedirectUrl,
    string AfterSigninRedirectUrl,
    string AfterCreateOrganizationRedirectUrl,
    string FaviconImageUrl,
    string DefaultUserProfileImageUrl,
    string DefaultOrganizationProfileImageUrl,
    string DefaultWorkspaceProfileImageUrl,
    bool UseInitialsForUserProfileImage,
    bool UseInitialsForOrganizationProfileImage,
    string LogoImageUrl,
    string SignupTermsStatement,
    bool SignupTermsStatementShown)
{
    public static WachtUiSettings From(WachtUiOptions ui, string deploymentId, string origin)
    {
        // A path is on the service's origin: the SDK runs on the app's origin and would otherwise look for the page there.
        string Url(string value) => value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal) ? origin + value : value;
        return new(deploymentId, ui.AppName, Url(ui.PrivacyPolicyUrl), Url(ui.TosPageUrl), Url(ui.SignInPageUrl), Url(ui.SignUpPageUrl),
            WaitlistPageUrl: "", Url(ui.SupportPageUrl), AfterLogoClickUrl: "", Url(ui.UserProfileUrl), Url(ui.OrganizationProfileUrl),
            CreateOrganizationUrl: "", Url(ui.AfterSignOutPageUrl), Url(ui.AfterSignOutPageUrl), Url(ui.AfterSignUpRedirectUrl),
            Url(ui.AfterSignInRedirectUrl), AfterCreateOrganizationRedirectUrl: "", Url(ui.FaviconImageUrl),
            DefaultUserProfileImageUrl: "", DefaultOrganizationProfileImageUrl: "", DefaultWorkspaceProfileImageUrl: "",
            UseInitialsForUserProfileImage: true, UseInitialsForOrganizationProfileImage: true, Url(ui.LogoImageUrl),
            SignupTermsStatement: "", SignupTermsStatementShown: false);
    }
}

/// <summary><c>GET /deployment/invitations/validate</c>: Wacht's <c>DeploymentInvitationData</c>.</summary>
public sealed record WachtInvitationValidation(bool Valid, string FirstName, string LastName, string Email, string Message, string ErrorCode);
