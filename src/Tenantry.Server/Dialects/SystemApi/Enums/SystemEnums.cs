using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Localization;
using Tenantry.Domain.Invitations;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.SystemApi.Enums;

/// <summary>An enum in list items: <c>{code, value, label, description}</c>, label and description localized.</summary>
public sealed record SystemEnumValue(string Code, int Value, string Label, string Description);

/// <summary>
/// The SYSTEM enum dictionary: the envelope's numeric values and codes (<see cref="EnvelopeEnums"/>)
/// with localized labels and descriptions. Built once per language.
/// </summary>
public sealed class SystemEnums(IStringLocalizer<Messages> localizer)
{
    private readonly ConcurrentDictionary<(string Culture, string Enum, string Code), SystemEnumValue> _localized = new();

    public SystemEnumValue Value(WorkspaceKind kind) => Localized("workspaceKind", EnvelopeEnums.Code(kind));

    public SystemEnumValue Value(JoinSource source) => Localized("joinSource", EnvelopeEnums.Code(source));

    public SystemEnumValue Value(MembershipStatus status) => Localized("membershipStatus", EnvelopeEnums.Code(status));

    public SystemEnumValue Value(InvitationStatus status) => Localized("invitationStatus", EnvelopeEnums.Code(status));

    public Dictionary<string, List<SystemEnumValue>> Dictionary() =>
        EnvelopeEnums.Catalog.ToDictionary(d => d.WireName, d => d.Members.Select(m => Localized(d.WireName, m.Code)).ToList());

    private SystemEnumValue Localized(string enumName, string code) =>
        _localized.GetOrAdd((CultureInfo.CurrentUICulture.Name, enumName, code), key =>
        {
            var definition = EnvelopeEnums.Definition(key.Enum);
            var prefix = $"Enum.{definition.ResourceName}.{key.Code}";
            return new SystemEnumValue(key.Code, definition.ValueOf(key.Code), localizer[prefix + ".Label"], localizer[prefix + ".Description"]);
        });
}
