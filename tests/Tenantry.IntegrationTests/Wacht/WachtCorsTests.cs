using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>Wacht's CORS policy for the configured front ends: the SDK's methods, with credentials, exposing X-Development-Session.</summary>
public sealed class WachtCorsTests(ConfiguredDeploymentApp app) : IClassFixture<ConfiguredDeploymentApp>
{
    private static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    [Theory]
    [InlineData("/session/sign-out")]
    [InlineData("/me")]
    [InlineData("/workspaces/ws_x/leave")]
    public async Task The_front_end_may_use_every_method_the_sdk_sends_with_credentials(string path)
    {
        var http = app.CreateHttpClient();

        var allowed = await http.SendAsync(Preflight(path, ConfiguredDeploymentApp.FrontEnd));

        Assert.True(allowed.IsSuccessStatusCode, allowed.StatusCode.ToString());
        Assert.Equal(ConfiguredDeploymentApp.FrontEnd, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", allowed.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        var methods = string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Methods")).Split(',', StringSplitOptions.TrimEntries);
        Assert.Superset(new HashSet<string> { "GET", "POST", "PUT", "PATCH", "DELETE" }, methods.ToHashSet());

        var other = await http.SendAsync(Preflight(path, "https://evil.example.test"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Answers_expose_the_development_session_header_to_the_front_end()
    {
        var response = await app.Wacht().SendAsync(HttpMethod.Get, "/deployment", cookie: null,
            configure: r => r.Headers.Add("Origin", ConfiguredDeploymentApp.FrontEnd));

        response.AssertOk(signedIn: false);
        Assert.Equal(ConfiguredDeploymentApp.FrontEnd, response.Header("Access-Control-Allow-Origin"));
        Assert.Contains("X-Development-Session", response.Header("Access-Control-Expose-Headers") ?? "", StringComparison.OrdinalIgnoreCase);
    }
}
