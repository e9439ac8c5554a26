namespace Tenantry.Cli;

/// <summary>The exit codes of <c>tenantry</c> (README, "The tenantry CLI").</summary>
internal static class CliExit
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The server (or the database, for local commands) refused or failed the operation: a conflict, a validation error, ...</summary>
    public const int Failed = 1;

    /// <summary>Bad usage: unknown command or option, a missing or malformed argument, no server URL or key configured.</summary>
    public const int Usage = 2;

    /// <summary>The server refused the admin key (or the operator API is not enabled there).</summary>
    public const int Unauthorized = 3;

    /// <summary>The user, institution or workspace named does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>The server could not be reached, timed out, or answered that it is unavailable.</summary>
    public const int Unavailable = 5;

    /// <summary>Interrupted (Ctrl-C).</summary>
    public const int Interrupted = 130;
}

/// <summary>A failure the CLI explains in one line, with its exit code; never a stack trace.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
