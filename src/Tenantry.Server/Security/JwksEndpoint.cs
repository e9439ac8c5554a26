using System.Text.Json;
using Tenantry.Application.Accounts.Tokens;

namespace Tenantry.Server.Security;

/// <summary><c>GET /.well-known/jwks.json</c>: the public halves of every key that signs or still verifies access tokens.</summary>
internal static class JwksEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapGet("/.well-known/jwks.json", async (SigningKeyRing ring, HttpContext http, CancellationToken ct) =>
            {
                var snapshot = await ring.GetAsync(ct);
                http.Response.ContentType = "application/json";
                http.Response.Headers.CacheControl = "public, max-age=300";
                await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
                writer.WriteStartObject();
                writer.WriteStartArray("keys");
                foreach (var key in snapshot.Published)
                {
                    // Only the public point is exported; the private scalar never leaves the key ring.
                    var parameters = key.Key.ECDsa.ExportParameters(includePrivateParameters: false);
                    writer.WriteStartObject();
                    writer.WriteString("kty", "EC");
                    writer.WriteString("crv", "P-256");
                    writer.WriteString("x", Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(parameters.Q.X));
                    writer.WriteString("y", Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(parameters.Q.Y));
                    writer.WriteString("kid", key.Kid);
                    writer.WriteString("use", "sig");
                    writer.WriteString("alg", "ES256");
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                await writer.FlushAsync(ct);
            })
            .WithTags("Accounts")
            .WithSummary("JSON Web Key Set of the access-token signing keys");
}
