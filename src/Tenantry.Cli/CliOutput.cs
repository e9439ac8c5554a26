using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Tenantry.Cli;

/// <summary>What a command prints: Spectre.Console tables for people, or JSON (<c>--json</c>) for scripts, always on stdout; errors on stderr.</summary>
internal sealed class CliOutput(bool json)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>Redirected output (a pipe, a file, CI) gets wide lines, so tables do not wrap for scripts and logs.</summary>
    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
        {
            console.Profile.Width = 240;
        }
        return console;
    }

    public bool Json => json;

    /// <summary>One object: its fields as a two-column table, or the object as JSON.</summary>
    public void Item<T>(T value, params (string Name, object? Value)[] fields)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(value, s_json));
            return;
        }
        var table = new Table().HideHeaders().AddColumns("field", "value");
        foreach (var (name, field) in fields)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(Text(field)));
        }
        Out.Write(table);
    }

    /// <summary>A list: a table with the given columns (and a line with the total when there are more), or <c>{"items": [...], "total": n}</c>.</summary>
    public void List<T>(IReadOnlyList<T> items, int total, string[] columns, Func<T, object?[]> row, string? more = null)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { items, total }, s_json));
            return;
        }
        var table = new Table().AddColumns(columns);
        foreach (var item in items)
        {
            table.AddRow(row(item).Select(v => Markup.Escape(Text(v))).ToArray());
        }
        Out.Write(table);
        Out.WriteLine(items.Count < total && more is not null ? $"{items.Count} of {total} shown; {more}" : $"{total} in all");
    }

    public static string Text(object? value) => value switch
    {
        null => "-",
        DateTimeOffset time => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool flag => flag ? "yes" : "no",
        IEnumerable<string> list => string.Join(", ", list),
        JsonElement element => element.GetRawText(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        // Free-form JSON (audit details, metadata) comes as a generated model that keeps every property.
        _ when value.GetType().Namespace?.StartsWith("Tenantry.Client.Api", StringComparison.Ordinal) == true => JsonSerializer.Serialize(value, JsonSerializerOptions.Web),
        _ => value.ToString() ?? "-",
    };

    /// <summary>One line on stderr, never a stack trace.</summary>
    public static void Fail(string message) => Error.MarkupLine("[red]error:[/] " + Markup.Escape(message));
}
