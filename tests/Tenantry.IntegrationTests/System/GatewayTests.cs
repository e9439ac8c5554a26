using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>CONTRACT 3's gateway rules: portal code, envelope on every answer, body limits, bad input.</summary>
public sealed class GatewayTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-code")]
    [InlineData("")]
    public async Task Portal_code_missing_or_unknown_is_refused_everywhere(string? code)
    {
        var user = await _api.SignUpAsync();
        foreach (var (method, path) in new[]
                 {
                     (HttpMethod.Get, "/web/v1/system/workspaces/mine"),
                     (HttpMethod.Post, "/web/v1/auth/sign-in"),
                     (HttpMethod.Get, "/web/v1/system/enums"),
                     (HttpMethod.Get, "/web/v1/no/such/route"),
                 })
        {
            var response = await _api.SendAsync(method, path, method == HttpMethod.Post ? "{}" : null, user.AccessToken, portalCode: code);
            response.AssertEnvelope(HttpStatusCode.Forbidden, "GATEWAY.PORTAL_ACCESS_DENIED");
        }
    }

    [Fact]
    public async Task A_401_from_the_list_carries_the_list_version()
    {
        (await _api.GetAsync("/web/v1/tenant/workspaces/mine")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
        (await _api.GetAsync("/web/v1/workspaces/ws_01m8a9t56kdm2avr4tk56ncfbm")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "1.3.0");
    }

    [Fact]
    public async Task Unknown_route_and_wrong_method_answer_in_the_envelope()
    {
        (await _api.GetAsync("/web/v1/does-not-exist")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.SendAsync(HttpMethod.Delete, "/web/v1/system/workspaces/mine")).AssertEnvelope(HttpStatusCode.MethodNotAllowed, "4050");
        (await _api.SendAsync(HttpMethod.Put, "/web/v1/auth/sign-in", "{}")).AssertEnvelope(HttpStatusCode.MethodNotAllowed, "4050");
    }

    [Fact]
    public async Task Non_json_content_type_is_415()
    {
        var response = await _api.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-in", configure: r =>
            r.Content = new StringContent("email=a@example.com", Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.AssertEnvelope(HttpStatusCode.UnsupportedMediaType, "4150");
    }

    // Sent the way HTTP clients send large bodies: the request waits for "100 Continue", so the
    // 413 arrives before the body does. (A client that streams an oversized body blindly gets the
    // 413 and a closed connection, possibly while it is still writing: that part is a race by nature.)
    [Theory]
    [InlineData(1024 * 1024 + 1)]
    [InlineData(2 * 1024 * 1024)]
    [InlineData(10 * 1024 * 1024)]
    public async Task Bodies_over_one_MiB_are_413(int size)
    {
        var user = await _api.SignUpAsync();
        var name = new string('x', size - """{"workspaceName":""}""".Length);
        var response = await _api.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", $$"""{"workspaceName":"{{name}}"}""", user.AccessToken,
            configure: r => r.Headers.ExpectContinue = true);
        response.AssertEnvelope(HttpStatusCode.RequestEntityTooLarge, "4130", "1.3.0");
        Assert.Empty(await app.WithDbAsync(db => Task.FromResult(db.Workspaces.Where(w => w.SelfCreatedBy == user.UserId).ToList())));
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read_and_validated()
    {
        var user = await _api.SignUpAsync();
        var name = new string('x', 1024 * 1024 - 100);
        var response = await _api.PostAsync("/web/v1/workspaces/self", $$"""{"workspaceName":"{{name}}"}""", user.AccessToken);
        response.AssertValidationError("$.workspaceName");
    }

    [Theory]
    [InlineData("{", "$")]
    [InlineData("not json at all", "$")]
    [InlineData("""{"workspaceName": 42}""", "$.workspaceName")]
    [InlineData("""{"workspaceName": ["a"]}""", "$.workspaceName")]
    [InlineData("""{"workspaceName": {"x": 1}}""", "$.workspaceName")]
    [InlineData("[1,2,3]", "$")]
    [InlineData("\"just a string\"", "$")]
    [InlineData("""{"workspaceName":"a","workspaceName":"b"}""", "$.workspaceName")]
    public async Task Malformed_json_and_wrong_types_are_4000_with_the_json_path(string body, string field)
    {
        var user = await _api.SignUpAsync();
        var response = await _api.PostAsync("/web/v1/workspaces/self", body, user.AccessToken);
        var message = response.AssertValidationError(field);
        Assert.Equal("Malformed JSON, or a value of the wrong type", message);
        Assert.Equal("1.3.0", response.Version);
    }

    [Fact]
    public async Task An_empty_body_is_4000_for_the_whole_body()
    {
        var user = await _api.SignUpAsync();
        var response = await _api.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", token: user.AccessToken, configure: r =>
        {
            r.Content = new ByteArrayContent([]);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        });
        Assert.Equal("A JSON request body is required", response.AssertValidationError("$"));
    }

    [Fact]
    public async Task A_json_null_body_is_4000()
    {
        var user = await _api.SignUpAsync();
        (await _api.PostAsync("/web/v1/workspaces/self", "null", user.AccessToken)).AssertValidationError("$");
    }

    [Fact]
    public async Task Numbers_in_strings_are_not_coerced()
    {
        var user = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(user);
        var response = await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", """{"policyConfig":{"enforceMfa":"true"}}""", user.AccessToken);
        response.AssertValidationError("$.policyConfig.enforceMfa");
    }

    [Fact]
    public async Task The_timestamp_is_the_current_time_in_epoch_milliseconds()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var response = await _api.GetAsync("/web/v1/system/enums");
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        response.AssertOk();
        Assert.InRange(response.Json.GetProperty("timestamp").GetInt64(), before - 1000, after + 1000);
    }

    [Fact]
    public async Task Responses_are_not_cached_and_carry_the_language()
    {
        var response = await _api.GetAsync("/web/v1/system/enums", language: "ja");
        response.AssertOk();
        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.Equal("ja", response.Header("Content-Language"));
    }
}
