using System.Text.Json;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;

namespace Tenantry.Cli.Local.Seed;

/// <summary>
/// Turns a <see cref="SeedPlan"/> into table rows with real ids (the same shapes the
/// application writes), streamed table by table in foreign-key order.
/// </summary>
internal sealed class SeedRows
{
    public const string SeedUserAgent = "tenantry-seed";
    public const string Password = "bench-password";

    private static readonly JsonSerializerOptions s_policyJson = new(JsonSerializerDefaults.Web);
    private static readonly string[] s_allowlist = ["203.0.113.0/24", "2001:db8::/32"];

    private readonly SeedPlan _plan;
    private readonly Random _random;
    private readonly DateTime _start;
    private readonly string[] _userIds;
    private readonly string[] _workspaceIds;
    private readonly string[] _institutionIds;
    private readonly string[] _ownerRoleIds;
    private readonly string[] _memberRoleIds;
    private readonly int[] _workspaceMembers;
    private readonly DateTime[] _membershipCreated;
    private readonly int[] _defaultMembership;
    private List<(int Institution, int User, bool Owner, DateTime Created)>? _institutionMembers;

    public SeedRows(SeedPlan plan, DateTimeOffset now)
    {
        _plan = plan;
        var sizes = plan.Sizes;
        _random = new Random(sizes.Seed + 1);
        _start = now.UtcDateTime.AddDays(-365);
        _userIds = NewIds(EntityId.User, sizes.Users);
        _workspaceIds = NewIds(EntityId.Workspace, sizes.Workspaces);
        _institutionIds = NewIds(EntityId.Institution, sizes.Institutions);
        _ownerRoleIds = NewIds(EntityId.Role, sizes.Workspaces);
        _memberRoleIds = NewIds(EntityId.Role, sizes.Workspaces);

        _workspaceMembers = new int[sizes.Workspaces];
        _membershipCreated = new DateTime[sizes.Memberships];
        _defaultMembership = Enumerable.Repeat(-1, sizes.Users).ToArray();
        for (var i = 0; i < sizes.Memberships; i++)
        {
            var workspace = plan.MembershipWorkspace[i];
            _workspaceMembers[workspace]++;
            // Owners joined when their workspace was made; everyone else some time after.
            _membershipCreated[i] = i < plan.OwnerMembershipCount
                ? WorkspaceCreated(workspace)
                : WorkspaceCreated(workspace).AddMinutes(_random.Next(1, 300 * 24 * 60));
            var user = plan.MembershipUser[i];
            var current = _defaultMembership[user];
            if (current < 0 || _membershipCreated[i] < _membershipCreated[current])
            {
                _defaultMembership[user] = i;
            }
        }
    }

    public string UserId(int user) => _userIds[user];

    public static readonly SeedTable Users = new("users",
        ("id", SeedType.Text), ("email", SeedType.Text), ("normalized_email", SeedType.Text), ("display_name", SeedType.Text),
        ("password_hash", SeedType.Text), ("status", SeedType.Text), ("memberships_version", SeedType.BigInt),
        ("created_at", SeedType.Timestamp), ("updated_at", SeedType.Timestamp));

    public IEnumerable<object?[]> UserRows(string passwordHash)
    {
        for (var u = 0; u < _userIds.Length; u++)
        {
            var email = $"user{u}@bench.tenantry.test";
            var created = _start.AddSeconds(u);
            yield return [_userIds[u], email, email, $"Bench User {u}", passwordHash, "Active", 0L, created, created];
        }
    }

    public static readonly SeedTable Institutions = new("institutions",
        ("id", SeedType.Text), ("name", SeedType.Text), ("slug", SeedType.Text), ("public_metadata", SeedType.Json),
        ("private_metadata", SeedType.Json), ("enforce_mfa", SeedType.Boolean), ("ip_allowlist", SeedType.TextList),
        ("member_count", SeedType.Integer), ("created_at", SeedType.Timestamp), ("updated_at", SeedType.Timestamp));

    public IEnumerable<object?[]> InstitutionRows()
    {
        var members = InstitutionMembers().GroupBy(m => m.Institution).ToDictionary(g => g.Key, g => g.Count());
        for (var i = 0; i < _institutionIds.Length; i++)
        {
            var created = _start.AddMinutes(i);
            // A few tenants restrict access, so "enterable" is computed for real, not always true.
            var enforceMfa = i % 50 == 7;
            string[] allowlist = i % 100 == 13 ? s_allowlist : [];
            yield return [_institutionIds[i], $"Institution {i}", $"institution-{i}", "{}", "{}", enforceMfa, allowlist,
                members.GetValueOrDefault(i), created, created];
        }
    }

    public static readonly SeedTable Workspaces = new("workspaces",
        ("id", SeedType.Text), ("institution_id", SeedType.Text), ("name", SeedType.Text), ("slug", SeedType.Text),
        ("kind", SeedType.Text), ("status", SeedType.Text), ("timezone", SeedType.Text), ("public_metadata", SeedType.Json),
        ("private_metadata", SeedType.Json), ("policy", SeedType.Json), ("member_count", SeedType.Integer), ("version", SeedType.BigInt),
        ("created_at", SeedType.Timestamp), ("updated_at", SeedType.Timestamp));

    public IEnumerable<object?[]> WorkspaceRows()
    {
        for (var w = 0; w < _workspaceIds.Length; w++)
        {
            var institution = SeedPlan.InstitutionOf(w, _plan.Sizes);
            var kind = w % 5 == 4 ? "Sandbox" : "Live";
            var status = w % 97 == 11 ? "Suspended" : "Active";
            var policy = w % 40 == 3 ? JsonSerializer.Serialize(new WorkspacePolicy(s_allowlist, EnforceMfa: false), s_policyJson) : null;
            var created = WorkspaceCreated(w);
            yield return [_workspaceIds[w], _institutionIds[institution], $"Workspace {w} of institution {institution}", $"workspace-{w}",
                kind, status, "UTC", "{}", "{}", policy, _workspaceMembers[w], 0L, created, created];
        }
    }

    public static readonly SeedTable Roles = new("workspace_roles",
        ("id", SeedType.Text), ("institution_id", SeedType.Text), ("workspace_id", SeedType.Text), ("name", SeedType.Text),
        ("normalized_name", SeedType.Text), ("description", SeedType.Text), ("built_in", SeedType.Text), ("permissions", SeedType.TextList),
        ("created_at", SeedType.Timestamp), ("updated_at", SeedType.Timestamp));

    public IEnumerable<object?[]> RoleRows()
    {
        var owner = Permissions.All.ToArray();
        var member = Permissions.MemberDefaults.ToArray();
        for (var w = 0; w < _workspaceIds.Length; w++)
        {
            var institution = _institutionIds[SeedPlan.InstitutionOf(w, _plan.Sizes)];
            var created = WorkspaceCreated(w);
            yield return [_ownerRoleIds[w], institution, _workspaceIds[w], WorkspaceRole.OwnerName, "OWNER", "Full control of the workspace",
                nameof(BuiltInRole.Owner), owner, created, created];
            yield return [_memberRoleIds[w], institution, _workspaceIds[w], WorkspaceRole.MemberName, "MEMBER", "Can view the workspace and its members",
                nameof(BuiltInRole.Member), member, created, created];
        }
    }

    public static readonly SeedTable InstitutionMemberships = new("organization_memberships",
        ("id", SeedType.Text), ("institution_id", SeedType.Text), ("user_id", SeedType.Text), ("role", SeedType.Text),
        ("is_active", SeedType.Boolean), ("created_at", SeedType.Timestamp), ("updated_at", SeedType.Timestamp));

    public IEnumerable<object?[]> InstitutionMembershipRows()
    {
        foreach (var (institution, user, owner, created) in InstitutionMembers())
        {
            var active = SeedPlan.InstitutionOf(_plan.MembershipWorkspace[_defaultMembership[user]], _plan.Sizes) == institution;
            yield return [EntityId.New(EntityId.InstitutionMembership, created), _institutionIds[institution], _userIds[user],
                owner ? "Owner" : "Member", active, created, created];
        }
    }

    public static readonly SeedTable WorkspaceMemberships = new("workspace_memberships",
        ("id", SeedType.Text), ("institution_id", SeedType.Text), ("workspace_id", SeedType.Text), ("user_id", SeedType.Text),
        ("role_id", SeedType.Text), ("join_source", SeedType.Text), ("status", SeedType.Text), ("is_default", SeedType.Boolean),
        ("created_at", SeedType.Timestamp), ("updated_at", SeedType.Timestamp));

    public IEnumerable<object?[]> WorkspaceMembershipRows()
    {
        for (var i = 0; i < _plan.Sizes.Memberships; i++)
        {
            var workspace = _plan.MembershipWorkspace[i];
            var user = _plan.MembershipUser[i];
            var owner = i < _plan.OwnerMembershipCount;
            var source = owner ? JoinSource.Created : i % 10 < 7 ? JoinSource.Invited : JoinSource.Assigned;
            var status = !owner && i % 50 == 17 ? MembershipStatus.Inactive : MembershipStatus.Active;
            var created = _membershipCreated[i];
            yield return [EntityId.New(EntityId.WorkspaceMembership, created), _institutionIds[SeedPlan.InstitutionOf(workspace, _plan.Sizes)],
                _workspaceIds[workspace], _userIds[user], owner ? _ownerRoleIds[workspace] : _memberRoleIds[workspace],
                source.ToString(), status.ToString(), _defaultMembership[user] == i, created, created];
        }
    }

    /// <summary>One organization membership per (institution, user) pair met in the workspace memberships.</summary>
    private List<(int Institution, int User, bool Owner, DateTime Created)> InstitutionMembers() => _institutionMembers ??= CollectInstitutionMembers();

    private List<(int Institution, int User, bool Owner, DateTime Created)> CollectInstitutionMembers()
    {
        var seen = new Dictionary<long, int>(_plan.Sizes.Memberships);
        var order = new List<(int Institution, int User, bool Owner, DateTime Created)>();
        for (var i = 0; i < _plan.Sizes.Memberships; i++)
        {
            var institution = SeedPlan.InstitutionOf(_plan.MembershipWorkspace[i], _plan.Sizes);
            var user = _plan.MembershipUser[i];
            var key = ((long)institution << 32) | (uint)user;
            var owner = i < _plan.OwnerMembershipCount;
            if (seen.TryGetValue(key, out var index))
            {
                var existing = order[index];
                order[index] = existing with { Owner = existing.Owner || owner, Created = Min(existing.Created, _membershipCreated[i]) };
                continue;
            }
            seen[key] = order.Count;
            order.Add((institution, user, owner, _membershipCreated[i]));
        }
        return order;
    }

    private DateTime WorkspaceCreated(int workspace) => _start.AddMinutes(workspace % (60 * 24 * 30));

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static string[] NewIds(string prefix, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = EntityId.New(prefix, now);
        }
        return ids;
    }
}
