using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Localization;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.SystemApi.Enums;

/// <summary>
/// The SYSTEM enum dictionary: numeric values (CONTRACT 3, then our own in the same
/// numbering), wire codes, and localized labels and descriptions. Built once per language.
/// </summary>
public sealed class SystemEnums(IStringLocalizer<Messages> localizer)
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
    private readonly ConcurrentDictionary<(string Culture, string Enum, string Code), SystemEnumValue> _localized = new();

    public SystemEnumValue Value(WorkspaceKind kind) => Localized("workspaceKind", Code(kind));

    public SystemEnumValue Value(JoinSource source) => Localized("joinSource", Code(source));

    public SystemEnumValue Value(MembershipStatus status) => Localized("membershipStatus", Code(status));

    public SystemEnumValue Value(InvitationStatus status) => Localized("invitationStatus", Code(status));

    public static SystemEnumRef Ref(WorkspaceKind kind) => Ref("workspaceKind", Code(kind));

    public static SystemEnumRef Ref(WorkspaceStatus status) => Ref("workspaceStatus", Code(status));

    public Dictionary<string, List<SystemEnumValue>> Dictionary() =>
        Catalog.ToDictionary(d => d.WireName, d => d.Members.Select(m => Localized(d.WireName, m.Code)).ToList());

    public static string Code(WorkspaceKind kind) => kind == WorkspaceKind.Sandbox ? "SANDBOX" : "LIVE";

    public static string Code(WorkspaceStatus status) => status == WorkspaceStatus.Suspended ? "SUSPENDED" : "ACTIVE";

    public static string Code(JoinSource source) => source.ToString().ToUpperInvariant();

    public static string Code(MembershipStatus status) => status.ToString().ToUpperInvariant();

    public static string Code(InvitationStatus status) => status.ToString().ToUpperInvariant();

    private SystemEnumValue Localized(string enumName, string code) =>
        _localized.GetOrAdd((CultureInfo.CurrentUICulture.Name, enumName, code), key =>
        {
            var definition = s_byName[key.Enum];
            var prefix = $"Enum.{definition.ResourceName}.{key.Code}";
            return new SystemEnumValue(key.Code, definition.ValueOf(key.Code), localizer[prefix + ".Label"], localizer[prefix + ".Description"]);
        });

    private static SystemEnumRef Ref(string enumName, string code) => new(s_byName[enumName].ValueOf(code), code, code);
}

public sealed record EnumDefinition(string WireName, string ResourceName, IReadOnlyList<(string Code, int Value)> Members)
{
    public int ValueOf(string code) => Members.First(m => m.Code == code).Value;
}
