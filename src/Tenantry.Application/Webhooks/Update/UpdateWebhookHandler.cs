using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Application.Webhooks.Delivery;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Webhooks.Update;

/// <summary>A partial update: <c>{}</c> leaves a field alone; <c>eventTypes: []</c> (or null) subscribes to everything.</summary>
public sealed record UpdateWebhookCommand(
    Optional<string?> Url, Optional<string?> Description, Optional<IReadOnlyList<string?>?> EventTypes, Optional<bool?> Enabled);

public sealed class UpdateWebhookValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookValidator()
    {
        When(c => c.Url.HasValue, () => RuleFor(c => c.Url.Value).WebhookUrl());
        When(c => c.Description.HasValue, () => RuleFor(c => c.Description.Value).WebhookDescription());
        When(c => c.EventTypes is { HasValue: true, Value: not null }, () => this.EventTypeList(c => c.EventTypes.Value));
        When(c => c.Enabled.HasValue, () => RuleFor(c => c.Enabled.Value).NotNull().WithErrorCode(ValidationCodes.Required));
    }
}

/// <summary>
/// Changes an endpoint. Disabling fails its pending deliveries (they can be replayed after it is
/// enabled again); enabling clears a reason the system gave and any failing streak.
/// </summary>
public sealed class UpdateWebhookHandler(TenantryDbContext db, IValidator<UpdateWebhookCommand> validator, WebhookUrls urls, TimeProvider clock)
{
    public async Task<Result<WebhookEndpointView>> HandleAsync(string institutionId, string webhookId, UpdateWebhookCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken);
        if (endpoint is null)
        {
            return new NotFound();
        }
        if (!command.Url.HasValue && !command.Description.HasValue && !command.EventTypes.HasValue && !command.Enabled.HasValue)
        {
            return new ValidationFailed(new FieldError("$", ValidationCodes.NothingToUpdate));
        }
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var now = clock.GetUtcNow();
        if (command.Url.HasValue)
        {
            var url = command.Url.Value!.Trim();
            if (await WebhookInput.CheckUrlAsync(urls, url, cancellationToken) is { } refused)
            {
                return refused;
            }
            endpoint.SetUrl(url, now);
        }
        if (command.Description.HasValue)
        {
            endpoint.SetDescription(WebhookInput.Trimmed(command.Description.Value), now);
        }
        if (command.EventTypes.HasValue)
        {
            endpoint.SetEventTypes(command.EventTypes.Value?.Select(t => t!) ?? [], now);
        }
        var disabling = command.Enabled is { HasValue: true, Value: false } && endpoint.Enabled;
        if (command.Enabled is { HasValue: true, Value: true })
        {
            endpoint.Enable(now);
        }
        else if (disabling)
        {
            endpoint.Disable(null, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (disabling)
        {
            await WebhookEndpoints.FailPendingAsync(db, endpoint.Id, WebhookEndpoints.DisabledError, cancellationToken);
        }
        return WebhookEndpointView.From(endpoint, now.UtcDateTime);
    }
}
