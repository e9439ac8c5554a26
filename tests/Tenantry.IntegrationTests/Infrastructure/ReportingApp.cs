using Xunit.Abstractions;
using Xunit.Sdk;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// A server whose tests report numbers (fuzz counts, timings) through xunit's diagnostic
/// messages, which the console logger prints for passing tests too (xunit.runner.json).
/// </summary>
public class ReportingApp(IMessageSink diagnostics) : TenantryApp
{
    public void Report(string message) => diagnostics.OnMessage(new DiagnosticMessage(message));
}
