using System.Diagnostics;
using Spectre.Console;

namespace Tenantry.Cli.Local.Seed;

/// <summary>
/// What the seed shows while it works: a progress bar per table on a terminal, one line per
/// finished step otherwise (CI logs), and a summary table at the end.
/// </summary>
internal sealed class SeedProgress(IAnsiConsole console, ProgressContext? bars)
{
    private readonly List<(string Table, long Rows, TimeSpan Took)> _steps = [];
    private readonly List<(string What, string Value)> _summary = [];

    public Step Start(string name, long? expected)
    {
        var task = bars?.AddTask(name, maxValue: Math.Max(1, expected ?? 1));
        if (task is not null && expected is null)
        {
            task.IsIndeterminate = true;
        }
        return new Step(this, name, task);
    }

    public void Summary(string what, string value)
    {
        _summary.Add((what, value));
        if (bars is null)
        {
            console.WriteLine($"{what}: {value}");
        }
    }

    public void Fail(string message) => throw new CliException(CliExit.Failed, message);

    /// <summary>The summary table; called once the progress display has ended.</summary>
    public void Finish()
    {
        var table = new Table().AddColumns("step", "rows", "seconds");
        foreach (var (name, rows, took) in _steps)
        {
            table.AddRow(name, rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), took.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var (what, value) in _summary)
        {
            table.AddRow(Markup.Escape(what), string.Empty, Markup.Escape(value));
        }
        console.Write(table);
    }

    internal sealed class Step(SeedProgress owner, string name, ProgressTask? task)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public void Advance(long rows) => task?.Increment(rows);

        public void Done(long rows, TimeSpan took)
        {
            if (task is not null)
            {
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.StopTask();
            }
            else
            {
                owner.Console.WriteLine($"  {name}: {rows} rows in {took.TotalSeconds:F1} s");
            }
            owner._steps.Add((name, rows, _clock.Elapsed));
        }
    }

    private IAnsiConsole Console => console;
}
