namespace Tenantry.Server.Dialects.SystemApi;

// Wire shapes of the SYSTEM dialect (camelCase via SystemJsonContext). Property order is
// the order of the seeds.

/// <summary>An enum in list items: <c>{code, value, label, description}</c>, label and description localized.</summary>
public sealed record SystemEnumValue(string Code, int Value, string Label, string Description);

/// <summary>An enum in the workspace detail (seed 001): <c>{value, name, code}</c> with name equal to code.</summary>
public sealed record SystemEnumRef(int Value, string Name, string Code);

/// <summary>One problem of a <c>4000</c> answer.</summary>
public sealed record SystemFieldProblem(string Field, string Message);

public sealed record SystemPolicyConfig(IReadOnlyList<string> IpAllowlist, bool EnforceMfa);

/// <summary>The envelope as documented in OpenAPI; answers are written by <see cref="SystemEnvelopeWriter"/>.</summary>
public sealed record SystemEnvelopeDoc<T>(string Version, long Timestamp, bool Success, string Code, string Message, T? Data);
