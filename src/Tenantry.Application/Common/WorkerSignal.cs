namespace Tenantry.Application.Common;

/// <summary>
/// Wakes a background worker as soon as there is work, instead of at its next poll. Signals that
/// come while one is pending merge into it: the worker looks once for all of them.
/// </summary>
public abstract class WorkerSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits for a signal or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
