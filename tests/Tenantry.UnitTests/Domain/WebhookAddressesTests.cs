using System.Net;
using Tenantry.Application.Webhooks;
using Tenantry.Application.Webhooks.Delivery;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Webhooks;

namespace Tenantry.UnitTests.Domain;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::1")]
    public void Internal_addresses_are_not_public(string address) => Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_public(string address) => Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void Every_event_type_is_an_audit_action_and_test_is_not_subscribable()
    {
        var actions = typeof(AuditActions).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        Assert.All(WebhookEventTypes.All, t => Assert.Contains(t, actions));
        // Every audit action is either an event type or named as not delivered (a new action must choose).
        Assert.Equal(actions.Order(), WebhookEventTypes.All.Concat(WebhookEventTypes.NotDelivered).Order());
        Assert.Empty(WebhookEventTypes.All.Intersect(WebhookEventTypes.NotDelivered));
        Assert.False(WebhookEventTypes.IsKnown(WebhookEventTypes.Test));
        Assert.True(WebhookEventTypes.Receives(["member.added"], WebhookEventTypes.Test));
        Assert.False(WebhookEventTypes.Receives(["member.added"], "member.removed"));
        Assert.True(WebhookEventTypes.Receives([], "member.removed"));
    }

    [Fact]
    public void The_default_schedule_retries_for_about_three_days()
    {
        var options = new WebhookOptions();
        var elapsed = TimeSpan.Zero;
        var attempts = 1;
        while (elapsed + WebhookSchedule.Backoff(attempts, options) <= options.GiveUpAfter)
        {
            elapsed += WebhookSchedule.Backoff(attempts, options);
            attempts++;
        }
        Assert.Equal(TimeSpan.FromSeconds(10), WebhookSchedule.Backoff(1, options));
        Assert.Equal(TimeSpan.FromHours(12), WebhookSchedule.Backoff(30, options));
        Assert.InRange(elapsed, TimeSpan.FromDays(2.5), TimeSpan.FromDays(3));
        Assert.InRange(attempts, 15, 20);
        Assert.All(Enumerable.Range(1, 200), _ => Assert.InRange(WebhookSchedule.WithJitter(3, options), TimeSpan.FromSeconds(32), TimeSpan.FromSeconds(48)));
    }
}
