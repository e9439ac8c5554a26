using Tenantry.Application.Webhooks.Delivery;

namespace Tenantry.UnitTests.Application;

public sealed class WebhookPaceTests
{
    [Fact]
    public async Task One_seconds_worth_goes_at_once_and_the_next_attempt_waits_for_a_refill()
    {
        using var pace = new WebhookPace(perSecond: 20, autoReplenishment: false);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(pace.WaitAsync(CancellationToken.None).IsCompletedSuccessfully, $"attempt {i + 1} of the first second waited");
        }

        var next = pace.WaitAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);

        // The bucket refills at most once a period (100 ms) however often it is asked, so ask until it has.
        await RefillUntil(pace, next);
    }

    [Fact]
    public void Zero_leaves_attempts_unpaced()
    {
        using var pace = new WebhookPace(perSecond: 0, autoReplenishment: false);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(pace.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        }
    }

    [Fact]
    public async Task A_waiting_attempt_stops_when_the_worker_stops()
    {
        using var pace = new WebhookPace(perSecond: 1, autoReplenishment: false);
        await pace.WaitAsync(CancellationToken.None);
        using var stopping = new CancellationTokenSource();
        var waiting = pace.WaitAsync(stopping.Token);
        stopping.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
    }

    private static async Task RefillUntil(WebhookPace pace, ValueTask waiting)
    {
        var task = waiting.AsTask();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!task.IsCompleted)
        {
            pace.Replenish();
            await Task.WhenAny(task, Task.Delay(20, patience.Token));
        }
        await task;
    }
}
