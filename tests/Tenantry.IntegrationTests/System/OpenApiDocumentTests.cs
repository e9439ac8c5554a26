using System.Text.Json.Nodes;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// The OpenAPI documents committed in openapi/ (written by the build, the clients' source of truth)
/// are exactly what the running server serves. The build rewrites them, so ./test.sh also checks
/// with git that the build left them as committed.
/// </summary>
public sealed class OpenApiDocumentTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    [Theory]
    [InlineData("v1", "tenantry.json")]
    [InlineData("admin", "tenantry_admin.json")]
    public async Task The_committed_document_is_the_one_the_server_serves(string name, string file)
    {
        var served = JsonNode.Parse(await app.CreateHttpClient().GetStringAsync($"/openapi/{name}.json"))!;
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Catalog.RepositoryRoot(), "openapi", file)))!;
        Assert.True(JsonNode.DeepEquals(served, committed),
            $"openapi/{file} differs from /openapi/{name}.json. Rebuild (dotnet build src/Tenantry.Server) and commit openapi/.");
    }

    [Fact]
    public async Task Every_operation_has_an_id_security_and_its_error_answers()
    {
        foreach (var name in new[] { "v1", "admin" })
        {
            var document = JsonNode.Parse(await app.CreateHttpClient().GetStringAsync($"/openapi/{name}.json"))!;
            var ids = new HashSet<string>();
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject())
                {
                    Assert.True(ids.Add(operation!["operationId"]!.GetValue<string>()), $"duplicate operationId at {method} {path}");
                    if (path.StartsWith("/web/v1", StringComparison.Ordinal) || path.StartsWith("/admin/v1", StringComparison.Ordinal))
                    {
                        Assert.NotEmpty(operation["security"]!.AsArray());
                        Assert.Equal("#/components/schemas/ErrorEnvelope", operation["responses"]!["404"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
                    }
                    if (operation["parameters"]?.AsArray().Any(p => p!["name"]!.GetValue<string>() == "pageSize") == true)
                    {
                        Assert.NotNull(operation["responses"]!["200"]!["headers"]?["X-Total-Count"]);
                    }
                }
            }
        }
    }
}
