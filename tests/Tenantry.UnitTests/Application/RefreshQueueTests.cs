using Tenantry.Application.Common.Caching;

namespace Tenantry.UnitTests.Application;

public sealed class RefreshQueueTests
{
    [Fact]
    public async Task Items_queued_while_a_batch_is_read_go_together_into_the_next_one()
    {
        var batches = new List<string[]>();
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var done = new TaskCompletionSource();
        var queue = new RefreshQueue<string>(async batch =>
        {
            lock (batches)
            {
                batches.Add([.. batch]);
            }
            if (batches.Count == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
            }
            else
            {
                done.SetResult();
            }
        }, e => Assert.Fail(e.ToString()));

        queue.Enqueue("a");
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var item in new[] { "b", "c", "d" })
        {
            queue.Enqueue(item);
        }
        releaseFirst.SetResult();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([["a"], ["b", "c", "d"]], batches);
    }

    [Fact]
    public async Task Items_falling_due_one_after_another_are_gathered_into_one_batch()
    {
        var batches = new List<string[]>();
        var done = new TaskCompletionSource();
        var queue = new RefreshQueue<string>(batch =>
        {
            batches.Add([.. batch]);
            done.TrySetResult();
            return Task.CompletedTask;
        }, e => Assert.Fail(e.ToString()), gathering: TimeSpan.FromSeconds(3));

        // Without the gathering wait, "a" would be read alone long before "b" and "c" arrive.
        queue.Enqueue("a");
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        queue.Enqueue("b");
        queue.Enqueue("c");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal([["a", "b", "c"]], batches);
    }

    [Fact]
    public async Task A_batch_is_at_most_the_given_size()
    {
        var sizes = new List<int>();
        var all = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        var seen = 0;
        var queue = new RefreshQueue<int>(async batch =>
        {
            await gate.Task;
            lock (sizes)
            {
                sizes.Add(batch.Count);
                if ((seen += batch.Count) == 7)
                {
                    all.SetResult();
                }
            }
        }, e => Assert.Fail(e.ToString()), maxBatch: 3);

        for (var i = 0; i < 7; i++)
        {
            queue.Enqueue(i);
        }
        gate.SetResult();
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(sizes, size => Assert.InRange(size, 1, 3));
        Assert.Equal(7, sizes.Sum());
    }

    [Fact]
    public async Task A_failed_batch_is_reported_and_later_items_are_still_refreshed()
    {
        var failure = new TaskCompletionSource<Exception>();
        var refreshed = new TaskCompletionSource<string>();
        var queue = new RefreshQueue<string>(batch => batch[0] == "bad"
            ? throw new InvalidOperationException("database away")
            : Task.Run(() => refreshed.SetResult(batch[0])), e => failure.SetResult(e));

        queue.Enqueue("bad");
        Assert.Equal("database away", (await failure.Task.WaitAsync(TimeSpan.FromSeconds(10))).Message);
        queue.Enqueue("good");

        Assert.Equal("good", await refreshed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_batch_cut_short_by_the_host_stopping_is_not_reported_as_a_failure()
    {
        var failures = new List<Exception>();
        var refreshed = new TaskCompletionSource();
        var queue = new RefreshQueue<string>(_ =>
        {
            refreshed.SetResult();
            throw new ObjectDisposedException("IServiceProvider");
        }, failures.Add);

        queue.Enqueue("a");
        await refreshed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Any_other_failure_of_a_batch_is_reported()
    {
        var reported = new TaskCompletionSource<Exception>();
        var queue = new RefreshQueue<string>(_ => throw new InvalidOperationException("database down"), e => reported.TrySetResult(e));

        queue.Enqueue("a");

        Assert.IsType<InvalidOperationException>(await reported.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
