using Tenantry.Domain.Institutions;

namespace Tenantry.UnitTests.Domain;

/// <summary>"An organization keeps someone who can manage it": who may leave.</summary>
public sealed class OrganizationManagersTests
{
    [Theory]
    // The last owner stays, whatever admins there are.
    [InlineData(OrganizationRole.Owner, new OrganizationRole[0], true)]
    [InlineData(OrganizationRole.Owner, new[] { OrganizationRole.Admin, OrganizationRole.Member }, true)]
    [InlineData(OrganizationRole.Owner, new[] { OrganizationRole.Owner }, false)]
    // An admin stays only when nobody else could run the organization.
    [InlineData(OrganizationRole.Admin, new[] { OrganizationRole.Member }, true)]
    [InlineData(OrganizationRole.Admin, new[] { OrganizationRole.Admin }, false)]
    [InlineData(OrganizationRole.Admin, new[] { OrganizationRole.Owner }, false)]
    // Members may always go.
    [InlineData(OrganizationRole.Member, new OrganizationRole[0], false)]
    public void Who_is_indispensable(OrganizationRole role, OrganizationRole[] others, bool indispensable) =>
        Assert.Equal(indispensable, OrganizationManagers.IsIndispensable(role, others));
}
