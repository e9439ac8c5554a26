using System.Reflection;
using Assembly = System.Reflection.Assembly;
using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using Tenantry.Application.Workspaces.ListMine;
using Tenantry.Data;
using Tenantry.Domain.Workspaces;
using Tenantry.Server.Dialects.Shared;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Tenantry.UnitTests.Architecture;

/// <summary>
/// The rules of docs/ARCHITECTURE.md, checked on every build: the stack Domain → Data →
/// Application → Server points one way, and the dialects meet only in their shared home.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly DomainAssembly = typeof(Workspace).Assembly;
    private static readonly Assembly DataAssembly = typeof(TenantryDbContext).Assembly;
    private static readonly Assembly ApplicationAssembly = typeof(ListMyWorkspacesHandler).Assembly;
    private static readonly Assembly ServerAssembly = typeof(IWireDialect).Assembly;

    private static readonly ArchUnitNET.Domain.Architecture Tenantry =
        new ArchLoader().LoadAssemblies(DomainAssembly, DataAssembly, ApplicationAssembly, ServerAssembly).Build();

    private const string Dialects = "Tenantry.Server.Dialects";

    private static readonly IObjectProvider<IType> SystemDialect = InNamespace($"{Dialects}.SystemApi", "the SYSTEM dialect");
    private static readonly IObjectProvider<IType> WachtDialect = InNamespace($"{Dialects}.WachtApi", "the Wacht dialect");
    private static readonly IObjectProvider<IType> OperatorDialect = InNamespace($"{Dialects}.OperatorApi", "the operator API");
    private static readonly IObjectProvider<IType> Envelope = InNamespace($"{Dialects}.Envelope", "the envelope");
    private static readonly IObjectProvider<IType> SharedHome = InNamespace($"{Dialects}.Shared", "the shared dialect home");
    private static readonly IObjectProvider<IType> AllDialects = InNamespace(Dialects, "the dialects (with the envelope and their shared home)");
    private static readonly IObjectProvider<IType> WebConsole = InNamespace("Tenantry.Server.WebConsole", "the web console");

    [Theory]
    [InlineData("Tenantry.")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    public void Domain_references_no_other_project_and_no_framework(string forbidden) =>
        Assert.DoesNotContain(DomainAssembly.GetReferencedAssemblies(), a => a.Name!.StartsWith(forbidden, StringComparison.Ordinal));

    [Fact]
    public void Domain_types_depend_on_nothing_of_the_other_layers() =>
        Types().That().ResideInAssembly(DomainAssembly).Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^(Tenantry\.(Data|Application|Server)|Microsoft\.(AspNetCore|EntityFrameworkCore))(\..*)?$"))
            .Check(Tenantry);

    [Fact]
    public void Data_knows_nothing_of_the_use_cases_or_the_wire()
    {
        Assert.DoesNotContain(DataAssembly.GetReferencedAssemblies(), a => a.Name is "Tenantry.Application" or "Tenantry.Server");
        Types().That().ResideInAssembly(DataAssembly).Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^Tenantry\.(Application|Server)(\..*)?$"))
            .Check(Tenantry);
    }

    [Fact]
    public void Application_never_references_the_server()
    {
        Assert.DoesNotContain(ApplicationAssembly.GetReferencedAssemblies(), a => a.Name is "Tenantry.Server" or "Microsoft.AspNetCore.App");
        Types().That().ResideInAssembly(ApplicationAssembly).Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^(Tenantry\.Server|Microsoft\.AspNetCore)(\..*)?$"))
            .Check(Tenantry);
    }

    [Fact]
    public void No_application_type_takes_a_service_provider()
    {
        var takers = ApplicationAssembly.GetTypes()
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                    .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(IServiceProvider)))
                || t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                    .Any(f => f.FieldType == typeof(IServiceProvider)))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(takers);
    }

    [Fact]
    public void The_system_dialect_uses_neither_wacht_nor_the_operator_api() =>
        Types().That().Are(SystemDialect).Should().NotDependOnAny(WachtDialect).AndShould().NotDependOnAny(OperatorDialect).Check(Tenantry);

    [Fact]
    public void The_wacht_dialect_uses_neither_system_nor_the_operator_api_nor_the_envelope() =>
        Types().That().Are(WachtDialect).Should().NotDependOnAny(SystemDialect).AndShould().NotDependOnAny(OperatorDialect)
            .AndShould().NotDependOnAny(Envelope).Check(Tenantry);

    [Fact]
    public void The_operator_api_uses_neither_system_nor_wacht() =>
        Types().That().Are(OperatorDialect).Should().NotDependOnAny(SystemDialect).AndShould().NotDependOnAny(WachtDialect).Check(Tenantry);

    [Fact]
    public void The_shared_home_and_the_envelope_know_no_dialect() =>
        Types().That().Are(SharedHome).Or().Are(Envelope).Should()
            .NotDependOnAny(SystemDialect).AndShould().NotDependOnAny(WachtDialect).AndShould().NotDependOnAny(OperatorDialect)
            .Check(Tenantry);

    [Fact]
    public void The_shared_home_does_not_use_the_envelope() =>
        Types().That().Are(SharedHome).Should().NotDependOnAny(Envelope).Check(Tenantry);

    [Fact]
    public void The_web_console_and_the_dialects_know_nothing_of_each_other() =>
        Types().That().Are(WebConsole).Should().NotDependOnAny(AllDialects).Check(Tenantry);

    [Fact]
    public void No_dialect_uses_the_web_console() =>
        Types().That().Are(AllDialects).Should().NotDependOnAny(WebConsole).Check(Tenantry);

    [Fact]
    public void The_web_console_reaches_the_database_only_through_the_application_layer() =>
        Types().That().Are(WebConsole).Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^(Tenantry\.Data|Microsoft\.EntityFrameworkCore)(\..*)?$"))
            .Check(Tenantry);

    [Fact]
    public void Dialects_reach_the_database_only_through_the_application_layer() =>
        Types().That().ResideInNamespaceMatching($@"^{Dialects.Replace(".", @"\.")}(\..*)?$").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^(Tenantry\.Data|Microsoft\.EntityFrameworkCore)(\..*)?$"))
            .Check(Tenantry);

    [Fact]
    public void Every_dialect_registers_with_the_shared_home()
    {
        var dialects = ServerAssembly.GetTypes().Where(t => typeof(IWireDialect).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(t => t.Namespace)
            .Order()
            .ToList();
        Assert.Equal([$"{Dialects}.OperatorApi", $"{Dialects}.SystemApi", $"{Dialects}.WachtApi"], dialects);
    }

    private static IObjectProvider<IType> InNamespace(string root, string description) =>
        Types().That().ResideInNamespaceMatching($@"^{root.Replace(".", @"\.")}(\..*)?$").As(description);
}
