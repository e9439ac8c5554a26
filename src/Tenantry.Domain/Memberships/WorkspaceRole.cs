using Tenantry.Domain.Common;

namespace Tenantry.Domain.Memberships;

/// <summary>
/// A named set of permissions inside one workspace. Every workspace has the built-in
/// <c>Owner</c> (every permission, immutable) and <c>Member</c>; owners add custom roles.
/// Names are unique per workspace, case-insensitively (<see cref="NormalizedName"/>).
/// </summary>
public sealed class WorkspaceRole
{
    public const int MaxNameLength = 64;
    public const int MaxDescriptionLength = 500;
    public const string OwnerName = "Owner";
    public const string MemberName = "Member";

    private WorkspaceRole()
    {
    }

    public string Id { get; private set; } = null!;
    public string InstitutionId { get; private set; } = null!;
    public string WorkspaceId { get; private set; } = null!;
    public string Name { get; private set; } = null!;
    public string NormalizedName { get; private set; } = null!;
    public string? Description { get; private set; }
    public BuiltInRole? BuiltIn { get; private set; }
    public List<string> Permissions { get; private set; } = [];
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public bool IsOwner => IsOwnerRole(BuiltIn);

    /// <summary>Whether a role of this kind owns its workspace (for rows read without the entity).</summary>
    public static bool IsOwnerRole(BuiltInRole? builtIn) => builtIn == Memberships.BuiltInRole.Owner;

    public static WorkspaceRole CreateOwner(string institutionId, string workspaceId, DateTimeOffset now) =>
        New(institutionId, workspaceId, OwnerName, "Full control of the workspace", Memberships.BuiltInRole.Owner, [.. Memberships.Permissions.All], now);

    public static WorkspaceRole CreateMember(string institutionId, string workspaceId, DateTimeOffset now) =>
        New(institutionId, workspaceId, MemberName, "Can view the workspace and its members", Memberships.BuiltInRole.Member, [.. Memberships.Permissions.MemberDefaults], now);

    public static WorkspaceRole CreateCustom(
        string institutionId, string workspaceId, string name, string? description, IEnumerable<string> permissions, DateTimeOffset now) =>
        New(institutionId, workspaceId, name.Trim(), description, null, Memberships.Permissions.Canonical(permissions), now);

    public static string NormalizeName(string name) => name.Trim().ToUpperInvariant();

    public bool Grants(string permission) => Permissions.Contains(permission, StringComparer.Ordinal);

    public Result Update(string? name, string? description, IEnumerable<string>? permissions, DateTimeOffset now)
    {
        if (BuiltIn is not null)
        {
            return new BuiltInRoleImmutable();
        }
        if (name is not null)
        {
            Name = name.Trim();
            NormalizedName = NormalizeName(name);
        }
        if (description is not null)
        {
            Description = description.Length == 0 ? null : description;
        }
        if (permissions is not null)
        {
            Permissions = Memberships.Permissions.Canonical(permissions);
        }
        UpdatedAt = now.UtcDateTime;
        return Result.Success;
    }

    private static WorkspaceRole New(
        string institutionId, string workspaceId, string name, string? description, BuiltInRole? builtIn, List<string> permissions, DateTimeOffset now) =>
        new()
        {
            Id = EntityId.New(EntityId.Role, now),
            InstitutionId = institutionId,
            WorkspaceId = workspaceId,
            Name = name,
            NormalizedName = NormalizeName(name),
            Description = description,
            BuiltIn = builtIn,
            Permissions = permissions,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };
}
