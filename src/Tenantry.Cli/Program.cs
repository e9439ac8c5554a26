using System.CommandLine;
using Tenantry.Cli;
using Tenantry.Cli.Local;
using Tenantry.Cli.Operator;

// tenantry: the operator commands over the operator API, and the local commands migrate and seed.
// Every failure is one line on stderr with a documented exit code (CliExit); never a stack trace.
var root = new RootCommand("Operate a Tenantry server: accounts, institutions, workspaces, members, the audit trail, the signing keys and webhooks; migrate and seed its database.");
var options = new GlobalOptions();
options.AddTo(root);
OperatorCommands.AddTo(root, options);
LocalCommands.AddTo(root);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        CliOutput.Fail(error.Message);
    }
    Console.Error.WriteLine($"Run 'tenantry {string.Join(' ', CommandPath(parsed.CommandResult.Command))} --help' for usage.".Replace("  ", " ", StringComparison.Ordinal));
    return CliExit.Usage;
}
try
{
    return await parsed.InvokeAsync();
}
catch (Exception e)
{
    // Anything an action did not handle itself (CliCommand.RunAsync handles what it knows).
    CliOutput.Fail($"{e.GetType().Name}: {e.Message}");
    return CliExit.Failed;
}

static IEnumerable<string> CommandPath(Command command)
{
    var names = new List<string>();
    for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
    {
        names.Insert(0, c.Name);
    }
    return names;
}
