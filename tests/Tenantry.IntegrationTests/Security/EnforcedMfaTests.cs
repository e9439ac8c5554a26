using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>A workspace or institution that enforces MFA: not enterable until the session proves the second factor.</summary>
public sealed class EnforcedMfaTests(MfaApp app) : IClassFixture<MfaApp>
{
    private readonly SystemApi _api = app.System;

    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private async Task<bool> EnterableAsync(string accessToken, string workspaceId) =>
        (await _api.GetAsync("/web/v1/system/workspaces/mine", accessToken)).AssertOk("2.0.0").EnumerateArray()
            .Single(w => w.GetProperty("workspaceBizId").GetString() == workspaceId).GetProperty("enterable").GetBoolean();

    [Fact]
    public async Task An_enforced_member_goes_from_not_enterable_to_enterable_through_enrol_sign_in_and_challenge()
    {
        var owner = await _api.SignUpAsync(SystemApi.NewEmail("owner"));
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Strict Co");
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { enforceMfa = true } })).AssertOk();
        var member = await _api.SignUpAsync(SystemApi.NewEmail("member"));
        await app.AddMemberAsync(workspaceId, member.UserId);
        // A second password-only session of the member, kept aside for the step-up below.
        var aside = (await _api.PostAsync("/web/v1/auth/sign-in", new { email = member.Email, password = member.Password })).AssertOk()
            .GetProperty("accessToken").GetString()!;

        var item = (await _api.ListMineAsync(member)).Single();
        Assert.False(item.GetProperty("enterable").GetBoolean());
        Assert.True(item.GetProperty("defaultEligible").GetBoolean());

        // Enrol and confirm on the first session, then sign in anew: password, challenge, code.
        var authenticator = await _api.EnableMfaAsync(member, Now);
        app.NextTotpStep();
        var challengeId = await _api.SignInForChallengeAsync(member);
        var tokens = (await _api.PostAsync(MfaApi.Challenge, new { challengeId, code = authenticator.CodeAt(Now) })).AssertOk();
        var mfaToken = tokens.GetProperty("accessToken").GetString()!;

        Assert.True(await EnterableAsync(mfaToken, workspaceId));
        // The password-only session still is not enterable, until it steps up.
        Assert.False(await EnterableAsync(aside, workspaceId));
        app.NextTotpStep();
        (await _api.PostAsync(MfaApi.StepUp, new { code = authenticator.CodeAt(Now) }, aside)).AssertOk();
        Assert.True(await EnterableAsync(aside, workspaceId));
    }

    [Fact]
    public async Task An_institution_enforcing_mfa_is_satisfied_by_the_same_flow()
    {
        var owner = await _api.SignUpAsync(SystemApi.NewEmail("owner"));
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Institution Strict");
        var institutionId = (await _api.ListMineAsync(owner)).Single().GetProperty("institutionBizId").GetString();
        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { enforceMfa = true })).AssertOk();
        Assert.False(await EnterableAsync(owner.AccessToken, workspaceId));

        var authenticator = await _api.EnableMfaAsync(owner, Now);
        app.NextTotpStep();
        var mfaToken = await _api.SignInWithMfaAsync(owner, authenticator.CodeAt(Now));

        Assert.True(await EnterableAsync(mfaToken, workspaceId));
    }

    [Fact]
    public async Task A_forged_amr_claim_does_not_satisfy_mfa()
    {
        // The MFA state comes from the session row, never from the token's claims.
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { enforceMfa = true } })).AssertOk();
        var ring = await app.Services.GetRequiredService<Application.Accounts.Tokens.SigningKeyRing>().GetAsync(CancellationToken.None);
        var now = Now.UtcDateTime;
        var forged = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = "tenantry",
            Audience = "tenantry",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = ring.Signing,
            Claims = new Dictionary<string, object> { ["sub"] = owner.UserId, ["sid"] = owner.SessionId, ["amr"] = new[] { "pwd", "otp" } },
        });

        Assert.False(await EnterableAsync(forged, workspaceId));
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/web/v1/system/workspaces/mine", forged)).Status);
    }
}
