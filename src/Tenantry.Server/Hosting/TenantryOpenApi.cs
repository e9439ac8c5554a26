using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tenantry.Server.Dialects.OperatorApi;
using Tenantry.Server.Dialects.SystemApi;
using Tenantry.Server.Dialects.SystemApi.Gateway;
using Tenantry.Server.Dialects.SystemApi.Webhooks;
using Tenantry.Server.Dialects.WachtApi;

namespace Tenantry.Server.Hosting;

/// <summary>
/// The two OpenAPI documents the clients are generated from, served at
/// <c>/openapi/{v1|admin}.json</c> and written to <c>openapi/</c> in the repository at build
/// time (Microsoft.Extensions.ApiDescription.Server): <c>v1</c> holds the SYSTEM and Wacht
/// dialects and the JWKS, <c>admin</c> the operator API. Both describe every answer, the error
/// envelope included, the <c>X-Total-Count</c> header of paged lists, and how each operation is
/// authenticated. Nothing in them depends on the request or the configuration (no
/// <c>servers</c>), so the committed files and the running server can be compared byte for byte.
/// </summary>
public static class TenantryOpenApi
{
    public const string PublicDocument = "v1";
    public const string OperatorDocument = "admin";

    private const string Bearer = "bearerAuth";
    private const string PortalCode = "portalCode";
    private const string SessionCookie = "sessionCookie";
    private const string AdminKey = "adminKey";
    private const string ErrorEnvelope = "ErrorEnvelope";
    private const string WachtError = "WachtError";

    /// <summary>The codes an envelope error may carry (CONTRACT 3 and the additions since).</summary>
    private const string EnvelopeCodes =
        "Error codes: 4000 validation failed (data lists {field, message}); 4010 bad, expired or revoked token (or admin key); " +
        "4030 member without the permission; 4040 not found or not a member; 4050 method not allowed; 4130 body too large; " +
        "4150 unsupported media type; 4290 rate limited (Retry-After); 5000 internal error; 5030 database unavailable; " +
        "AUTH.INVALID_CREDENTIALS; AUTH.ACCOUNT_DISABLED; AUTH.EMAIL_TAKEN; AUTH.MFA_REQUIRED (a success: the sign-in needs a second factor); " +
        "AUTH.INVALID_MFA_CODE; AUTH.MFA_CHALLENGE_INVALID; AUTH.MFA_ALREADY_ENABLED; AUTH.MFA_NOT_ENABLED; " +
        "GATEWAY.PORTAL_ACCESS_DENIED; GATEWAY.SECURE_CHANNEL_REQUIRED; GATEWAY.SECURE_CHANNEL_INVALID; " +
        "WORKSPACE.ALREADY_OWNS_WORKSPACE; WORKSPACE.ROLE_NAME_EXISTS; WORKSPACE.BUILT_IN_ROLE; WORKSPACE.ROLE_IN_USE; " +
        "WORKSPACE.ROLE_EXCEEDS_GRANTOR; WORKSPACE.INVITATION_PENDING; WORKSPACE.INVITATION_NOT_PENDING; WORKSPACE.ALREADY_MEMBER; " +
        "WORKSPACE.LAST_OWNER; WORKSPACE.NOT_DEFAULT_ELIGIBLE; WORKSPACE.NOT_ENTERABLE (data.reason says why); ORGANIZATION.LAST_OWNER.";

    public static IServiceCollection AddTenantryOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(PublicDocument, o => Configure(o, operatorApi: false));
        services.AddOpenApi(OperatorDocument, o => Configure(o, operatorApi: true));
        return services;
    }

    /// <summary>True while the build runs the app only to write its OpenAPI documents (GetDocument.Insider): nothing is served, no database is touched.</summary>
    public static bool IsBuildTimeGeneration =>
        string.Equals(System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name, "GetDocument.Insider", StringComparison.Ordinal);

    private static void Configure(OpenApiOptions options, bool operatorApi)
    {
        options.ShouldInclude = description => IsOperator(description.RelativePath) == operatorApi;
        options.AddSchemaTransformer(WachtDialectHosting.DocumentSnakeCase);
        options.AddSchemaTransformer((schema, context, _) =>
        {
            OptionalRequestFields(schema, context.JsonTypeInfo.Type);
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document, operatorApi);
            return Task.CompletedTask;
        });
        if (!operatorApi)
        {
            // What the service sends to webhook endpoints (the webhooks section), beside what it answers.
            options.AddDocumentTransformer(WebhookDocumentation.DescribeAsync);
        }
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            DescribeOperation(operation, context, operatorApi);
            await DescribeAlternativesAsync(operation, context, cancellationToken);
        });
    }

    /// <summary>
    /// Request bodies are records of nullable inputs (the use case validates them): a nullable field may be left
    /// out, so it is not listed as required (a record's constructor parameters otherwise all are).
    /// </summary>
    private static void OptionalRequestFields(OpenApiSchema schema, Type type)
    {
        if (!type.Name.EndsWith("Request", StringComparison.Ordinal) || schema.Required is not { Count: > 0 } required || schema.Properties is null)
        {
            return;
        }
        foreach (var (name, property) in schema.Properties)
        {
            if (property.Type is { } kind && kind.HasFlag(JsonSchemaType.Null) || property is OpenApiSchemaReference)
            {
                required.Remove(name);
            }
        }
    }

    private static bool IsOperator(string? relativePath) =>
        relativePath is not null && ("/" + relativePath).StartsWith(OperatorDialect.Prefix + "/", StringComparison.Ordinal);

    private static void Describe(OpenApiDocument document, bool operatorApi)
    {
        document.Info.Title = operatorApi ? "Tenantry operator API" : "Tenantry";
        document.Info.Version = "1";
        document.Info.Description = operatorApi
            ? "The operator API under /admin/v1: the X-Admin-Key header (never a user token). Mapped only when Tenantry:AdminApiKey is set. " +
              "Answers use the SYSTEM envelope. Every change is recorded with the operator as actor: a change to an account in the " +
              "account's events (actor \"operator\", GET /admin/v1/users/{userBizId}/events), any other in the audit trail (actorUserBizId \"operator\")."
            : "Workspace membership service. SYSTEM dialect under /web/v1 (X-PORTAL-ACCESS-CODE and Bearer access token, the " +
              "{version, timestamp, success, code, message, data} envelope), Wacht dialect under /me, /session, /workspaces/{id}/leave and " +
              "/organizations/{id}/leave (__session cookie or Bearer session token), JWKS at /.well-known/jwks.json. " +
              "The operator API is the separate document /openapi/admin.json.";
        // The address depends on where the server runs; clients are given it.
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = operatorApi
            ? new Dictionary<string, IOpenApiSecurityScheme>
            {
                [AdminKey] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = OperatorDialect.KeyHeader,
                    Description = "The operator key (Tenantry:AdminApiKey).",
                },
            }
            : new Dictionary<string, IOpenApiSecurityScheme>
            {
                [Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "SYSTEM: the access token (ES256 JWT, verify with /.well-known/jwks.json). Wacht: the session token.",
                },
                [PortalCode] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = PortalGate.Header,
                    Description = "The portal access code, on every /web/v1 request (403 GATEWAY.PORTAL_ACCESS_DENIED without it).",
                },
                [SessionCookie] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "__session",
                    Description = "The Wacht session cookie, set by sign-up and sign-in.",
                },
            };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ErrorEnvelope] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Every failure of the SYSTEM dialect and the operator API. " + EnvelopeCodes,
            Required = new HashSet<string> { "version", "timestamp", "success", "code", "message", "data" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["version"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["timestamp"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
                ["success"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The contract's error code; never localized." },
                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Localized by Accept-Language." },
                ["data"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array | JsonSchemaType.Null,
                    Description = "null, except for 4000: one {field, message} per problem.",
                    Items = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "field", "message" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A JSON path ($ for the whole body) or a query parameter." },
                            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        },
                    },
                },
            },
        };
        if (!operatorApi)
        {
            document.Components.Schemas[WachtError] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Every failure of the Wacht dialect: the HTTP status, a localized message, and errors[0].code the status again.",
                Required = new HashSet<string> { "message", "errors" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["errors"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Items = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "message", "code" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                ["code"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                            },
                        },
                    },
                },
            };
        }
    }

    private static void DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, bool operatorApi)
    {
        var description = context.Description;
        var path = "/" + (description.RelativePath ?? string.Empty);
        var method = description.HttpMethod ?? "GET";
        operation.OperationId = OperationId(method, path);
        var document = context.Document!;

        var system = path.StartsWith(SystemDialect.Prefix + "/", StringComparison.Ordinal);
        var wacht = !system && !operatorApi && !path.StartsWith("/.well-known", StringComparison.Ordinal);
        var signedIn = description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any();
        operation.Security = operatorApi
            ? [Requirement(document, AdminKey)]
            : system
                ? [signedIn ? Requirement(document, PortalCode, Bearer) : Requirement(document, PortalCode)]
                : wacht
                    // A Wacht route a browser reads before signing in takes the session when there is one (the empty requirement: none).
                    ? signedIn ? [Requirement(document, SessionCookie), Requirement(document, Bearer)] : [Requirement(document, SessionCookie), Requirement(document, Bearer), new()]
                    : [];

        operation.Responses ??= [];
        if (operatorApi || system)
        {
            var statuses = new List<(string Status, string Text)> { ("400", "Validation failed (4000) or an unreadable request") };
            statuses.Add(("401", operatorApi ? "Missing or wrong X-Admin-Key (4010)" : signedIn ? "Missing, expired or revoked access token (4010)" : "Invalid credentials or MFA challenge"));
            statuses.Add(("403", operatorApi ? "Refused" : "Portal code missing or unknown, member without the permission (4030), account disabled, or the workspace not enterable"));
            statuses.Add(("404", "Not found, or not a member (4040)"));
            if (method is not "GET")
            {
                statuses.Add(("409", "Conflicts with the current state (see the code)"));
            }
            statuses.Add(("429", "Rate limited (4290, Retry-After)"));
            statuses.Add(("500", "Internal error (5000); never a stack trace"));
            statuses.Add(("503", "Database unavailable (5030)"));
            foreach (var (status, text) in statuses)
            {
                operation.Responses.TryAdd(status, Failure(document, ErrorEnvelope, text));
            }
        }
        else if (wacht)
        {
            foreach (var (status, text) in new[] { ("400", "Bad request"), ("401", "No valid session"), ("403", "Forbidden"), ("404", "Not found"), ("429", "Rate limited (Retry-After)") })
            {
                if (status == "401" && !signedIn)
                {
                    continue;
                }
                operation.Responses.TryAdd(status, Failure(document, WachtError, text));
            }
        }

        var paged = operation.Parameters?.Any(p => p.Name == "page") == true && operation.Parameters.Any(p => p.Name == "pageSize");
        if (paged)
        {
            foreach (var parameter in operation.Parameters!.OfType<OpenApiParameter>())
            {
                parameter.Description = parameter.Name == "page" ? "Page number, from 1 (default 1)." : parameter.Name == "pageSize" ? "Items per page, 1–200 (default 50)." : parameter.Description;
            }
            if (operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["X-Total-Count"] = new OpenApiHeader
                {
                    Description = "How many items there are in all pages.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                };
            }
        }
    }

    /// <summary>An operation that answers 200 with one of several shapes (sign-in: tokens, or an MFA challenge) says so with anyOf.</summary>
    private static async Task DescribeAlternativesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var types = context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>()
            .Where(r => r.StatusCode == 200 && r.Type is not null && r.Type != typeof(void)).Select(r => r.Type!).Distinct().ToList();
        if (types.Count < 2 || operation.Responses?.TryGetValue("200", out var ok) != true || ok is not OpenApiResponse { Content: { } content })
        {
            return;
        }
        var alternatives = new List<IOpenApiSchema>();
        foreach (var type in types)
        {
            alternatives.Add(await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken));
        }
        foreach (var media in content.Values)
        {
            media.Schema = new OpenApiSchema { AnyOf = alternatives };
        }
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, params string[] schemes)
    {
        var requirement = new OpenApiSecurityRequirement();
        foreach (var scheme in schemes)
        {
            requirement[new OpenApiSecuritySchemeReference(scheme, document)] = [];
        }
        return requirement;
    }

    private static OpenApiResponse Failure(OpenApiDocument document, string schema, string text) => new()
    {
        Description = text,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new() { Schema = new OpenApiSchemaReference(schema, document) },
        },
    };

    /// <summary>
    /// A stable id from the method and path, without the dialect prefix: <c>GET /admin/v1/users/{userBizId}</c>
    /// is <c>getUsersByUserBizId</c>. Generated clients name their methods after it.
    /// </summary>
    public static string OperationId(string method, string path)
    {
        foreach (var prefix in new[] { SystemDialect.Prefix, OperatorDialect.Prefix })
        {
            if (path.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                path = path[prefix.Length..];
            }
        }
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var parameter = segment.StartsWith('{');
            if (parameter)
            {
                id.Append("By");
            }
            foreach (var word in segment.Trim('{', '}').Split(['-', '.', '_'], StringSplitOptions.RemoveEmptyEntries))
            {
                id.Append(char.ToUpper(word[0], CultureInfo.InvariantCulture)).Append(word.AsSpan(1));
            }
        }
        return id.ToString();
    }
}
