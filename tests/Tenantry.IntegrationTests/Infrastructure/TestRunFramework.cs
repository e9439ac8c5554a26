using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Tenantry.IntegrationTests.Infrastructure.TestRunFramework", "Tenantry.IntegrationTests")]

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// xunit's own framework with one addition: when every test class has run, and before the run
/// reports that it finished (so before the test host may be stopped), the databases this test
/// process kept for reuse are dropped (<see cref="TestDatabase.DropKeptAsync"/>). A process-exit
/// handler was too late: the host is ended before it is done, and the databases stayed behind.
/// </summary>
public sealed class TestRunFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(
            IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class Runner(
        ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await TestDatabase.DropKeptAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
