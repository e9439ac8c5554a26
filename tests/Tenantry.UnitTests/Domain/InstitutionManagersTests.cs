using Tenantry.Domain.Institutions;

namespace Tenantry.UnitTests.Domain;

/// <summary>"An organization keeps someone who can manage it": who may leave.</summary>
public sealed class InstitutionManagersTests
{
    [Theory]
    // The last owner stays, whatever admins there are.
    [InlineData(InstitutionRole.Owner, new InstitutionRole[0], true)]
    [InlineData(InstitutionRole.Owner, new[] { InstitutionRole.Admin, InstitutionRole.Member }, true)]
    [InlineData(InstitutionRole.Owner, new[] { InstitutionRole.Owner }, false)]
    // An admin stays only when nobody else could run the organization.
    [InlineData(InstitutionRole.Admin, new[] { InstitutionRole.Member }, true)]
    [InlineData(InstitutionRole.Admin, new[] { InstitutionRole.Admin }, false)]
    [InlineData(InstitutionRole.Admin, new[] { InstitutionRole.Owner }, false)]
    // Members may always go.
    [InlineData(InstitutionRole.Member, new InstitutionRole[0], false)]
    public void Who_is_indispensable(InstitutionRole role, InstitutionRole[] others, bool indispensable) =>
        Assert.Equal(indispensable, InstitutionManagers.IsIndispensable(role, others));
}
