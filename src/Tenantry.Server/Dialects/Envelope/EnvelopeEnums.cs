using Tenantry.Application.Workspaces;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Server.Dialects.Envelope;

/// <summary>
/// The numeric enum dictionary of the envelope dialects: wire codes and values (CONTRACT 3, then
/// our own in the same numbering). Labels and descriptions are localized by the SYSTEM dialect.
/// </summary>
public static class EnvelopeEnums
{
    /// <summary>Every enum the API shows, by the name <c>GET /web/v1/system/enums</c> lists it under.</summary>
    public static readonly IReadOnlyList<EnumDefinition> Catalog =
    [
        new("workspaceKind", "WorkspaceKind", [("LIVE", 10010801), ("SANDBOX", 10010802)]),
        new("workspaceStatus", "WorkspaceStatus", [("ACTIVE", 10010701), ("SUSPENDED", 10010702)]),
        new("joinSource", "JoinSource", [("CREATED", 10040101), ("INVITED", 10040102), ("ASSIGNED", 10040103)]),
        new("membershipStatus", "MembershipStatus", [("ACTIVE", 10040201), ("INACTIVE", 10040202)]),
        new("invitationStatus", "InvitationStatus",
            [("PENDING", 10040301), ("ACCEPTED", 10040302), ("DECLINED", 10040303), ("REVOKED", 10040304), ("EXPIRED", 10040305)]),
    ];

    private static readonly Dictionary<string, EnumDefinition> s_byName = Catalog.ToDictionary(d => d.WireName);

    public static EnumDefinition Definition(string wireName) => s_byName[wireName];

    public static EnumRef Ref(WorkspaceKind kind) => Ref("workspaceKind", Code(kind));

    public static EnumRef Ref(WorkspaceStatus status) => Ref("workspaceStatus", Code(status));

    public static string Code(WorkspaceKind kind) => kind == WorkspaceKind.Sandbox ? "SANDBOX" : "LIVE";

    public static string Code(WorkspaceStatus status) => WorkspaceCodes.Status(status);

    public static string Code(JoinSource source) => source.ToString().ToUpperInvariant();

    public static string Code(MembershipStatus status) => status.ToString().ToUpperInvariant();

    public static string Code(InvitationStatus status) => status.ToString().ToUpperInvariant();

    private static EnumRef Ref(string enumName, string code) => new(s_byName[enumName].ValueOf(code), code, code);
}

public sealed record EnumDefinition(string WireName, string ResourceName, IReadOnlyList<(string Code, int Value)> Members)
{
    public int ValueOf(string code) => Members.First(m => m.Code == code).Value;
}
