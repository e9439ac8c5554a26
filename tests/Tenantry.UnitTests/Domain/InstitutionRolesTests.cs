using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;

namespace Tenantry.UnitTests.Domain;

/// <summary>Who changes whose organization role, what taking one away leaves, and who removes whom.</summary>
public sealed class InstitutionRolesTests
{
    private const InstitutionRole Owner = InstitutionRole.Owner;
    private const InstitutionRole Admin = InstitutionRole.Admin;
    private const InstitutionRole Member = InstitutionRole.Member;

    [Theory]
    [InlineData(Owner, Owner, Member, null)]
    [InlineData(Admin, Admin, Member, null)]
    [InlineData(Member, Member, null, typeof(MemberRoleRequired))]
    [InlineData(Member, Admin, null, typeof(InstitutionRoleNotHeld))]
    [InlineData(Admin, Owner, null, typeof(InstitutionRoleNotHeld))]
    public void Taking_a_role_away_leaves_member_and_only_a_role_held(InstitutionRole held, InstitutionRole removed, InstitutionRole? after, Type? error)
    {
        var result = InstitutionRoles.AfterRemoving(held, removed);

        Assert.Equal(error, result.Error?.GetType());
        if (after is { } role)
        {
            Assert.Equal(role, result.Value);
        }
    }

    [Theory]
    // An owner changes any role.
    [InlineData(Owner, Owner, Member, null)]
    [InlineData(Owner, Member, Owner, null)]
    // An admin moves non-owners between Member and Admin, and never touches Owner.
    [InlineData(Admin, Member, Admin, null)]
    [InlineData(Admin, Admin, Member, null)]
    [InlineData(Admin, Member, Owner, typeof(RoleExceedsGrantor))]
    [InlineData(Admin, Owner, Admin, typeof(RoleExceedsGrantor))]
    // A member changes nothing.
    [InlineData(Member, Member, Admin, typeof(PermissionDenied))]
    public void Who_changes_which_role(InstitutionRole actor, InstitutionRole from, InstitutionRole to, Type? error) =>
        Assert.Equal(error, InstitutionRoles.MayChange(actor, from, to)?.GetType());

    [Theory]
    [InlineData(Owner, Owner, null)]
    [InlineData(Admin, Admin, null)]
    [InlineData(Admin, Member, null)]
    [InlineData(Admin, Owner, typeof(RoleExceedsGrantor))]
    [InlineData(Member, Member, typeof(PermissionDenied))]
    public void Who_removes_whom(InstitutionRole actor, InstitutionRole target, Type? error) =>
        Assert.Equal(error, InstitutionRoles.MayRemove(actor, target)?.GetType());

    [Fact]
    public void Demotion_runs_down_from_owner_to_member()
    {
        Assert.True(InstitutionRoles.IsDemotion(Owner, Admin));
        Assert.True(InstitutionRoles.IsDemotion(Admin, Member));
        Assert.False(InstitutionRoles.IsDemotion(Member, Admin));
        Assert.False(InstitutionRoles.IsDemotion(Admin, Admin));
    }
}
