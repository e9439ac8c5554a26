using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using Tenantry.AspNetCore;
using Tenantry.Client;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using Assembly = System.Reflection.Assembly;

namespace Tenantry.UnitTests.Architecture;

/// <summary>
/// The rules of docs/ARCHITECTURE.md for what products use: the NuGet packages know Tenantry only through
/// its HTTP API (they ship without the server), and the CLI's operator commands go through the client
/// while only its local commands (migrate, seed) touch the database.
/// </summary>
public sealed class ClientArchitectureTests
{
    private static readonly Assembly ClientAssembly = typeof(TenantryClient).Assembly;
    private static readonly Assembly AspNetCoreAssembly = typeof(TenantryAuthenticationOptions).Assembly;
    private static readonly Assembly CliAssembly = Assembly.Load("tenantry");

    private static readonly ArchUnitNET.Domain.Architecture Clients =
        new ArchLoader().LoadAssemblies(ClientAssembly, AspNetCoreAssembly, CliAssembly).Build();

    private static readonly string[] s_serverSide = ["Tenantry.Domain", "Tenantry.Data", "Tenantry.Application", "Tenantry.Server"];

    [Fact]
    public void The_packages_reference_no_server_side_project()
    {
        Assert.DoesNotContain(ClientAssembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Tenantry.", StringComparison.Ordinal));
        Assert.Equal(["Tenantry.Client"],
            AspNetCoreAssembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Tenantry.", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_cli_never_references_the_server() =>
        Assert.DoesNotContain(CliAssembly.GetReferencedAssemblies(), a => a.Name is "Tenantry.Server");

    [Fact]
    public void The_cli_operator_commands_reach_tenantry_only_through_the_client() =>
        Types().That().ResideInNamespaceMatching(@"^Tenantry\.Cli\.Operator(\..*)?$").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching($@"^({string.Join('|', s_serverSide).Replace(".", @"\.")})(\..*)?$"))
            .Check(Clients);

    [Fact]
    public void The_cli_local_commands_do_not_use_the_operator_api() =>
        Types().That().ResideInNamespaceMatching(@"^Tenantry\.Cli\.Local(\..*)?$").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^Tenantry\.Client(\..*)?$"))
            .Check(Clients);
}
