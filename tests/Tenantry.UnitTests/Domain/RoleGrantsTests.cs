using Tenantry.Domain.Memberships;

namespace Tenantry.UnitTests.Domain;

public sealed class RoleGrantsTests
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.UnixEpoch;
    private static readonly string[] s_inviter = [Permissions.WorkspaceRead, Permissions.MembersRead, Permissions.MembersInvite];

    [Fact]
    public void A_non_owner_grants_only_subsets_of_their_permissions_and_never_owner()
    {
        Assert.True(RoleGrants.MayGrant(false, s_inviter, WorkspaceRole.CreateMember("i", "w", s_now)));
        Assert.True(RoleGrants.MayGrant(false, s_inviter, WorkspaceRole.CreateCustom("i", "w", "Same", null, s_inviter, s_now)));
        Assert.True(RoleGrants.MayGrant(false, s_inviter, WorkspaceRole.CreateCustom("i", "w", "Nothing", null, [], s_now)));
        Assert.False(RoleGrants.MayGrant(false, s_inviter, WorkspaceRole.CreateCustom("i", "w", "More", null, [Permissions.AuditRead], s_now)));
        Assert.False(RoleGrants.MayGrant(false, Permissions.All.ToArray(), WorkspaceRole.CreateOwner("i", "w", s_now)));
        Assert.True(RoleGrants.MayGrant(false, Permissions.All.ToArray(), WorkspaceRole.CreateCustom("i", "w", "All", null, Permissions.All, s_now)));
    }

    [Fact]
    public void An_owner_grants_anything()
    {
        Assert.True(RoleGrants.MayGrant(true, [], WorkspaceRole.CreateOwner("i", "w", s_now)));
        Assert.True(RoleGrants.MayGrant(true, [], [Permissions.AuditRead, Permissions.RolesManage]));
    }
}
