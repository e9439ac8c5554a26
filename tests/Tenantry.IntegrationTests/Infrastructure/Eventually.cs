namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>For what the server does in the background: asks again until it holds, for at most a few seconds of real time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(50);
        }
    }
}
