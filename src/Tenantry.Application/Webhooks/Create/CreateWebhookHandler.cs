using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks.Create;

public sealed record CreateWebhookCommand(string? Url, string? Description, IReadOnlyList<string?>? EventTypes);

public sealed class CreateWebhookValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookValidator()
    {
        RuleFor(c => c.Url).WebhookUrl();
        RuleFor(c => c.Description).WebhookDescription();
        this.EventTypeList(c => c.EventTypes);
    }
}

/// <summary>
/// Adds an endpoint to an institution, enabled, with a new secret shown in this answer only. The
/// institution's row lock makes the endpoint limit hold when two managers add endpoints at once.
/// </summary>
public sealed class CreateWebhookHandler(
    TenantryDbContext db, IValidator<CreateWebhookCommand> validator, WebhookUrls urls, WebhookSecrets secrets, TimeProvider clock,
    IOptions<WebhookOptions> options)
{
    public async Task<Result<WebhookEndpointView>> HandleAsync(
        string institutionId, CreateWebhookCommand command, WebhookChangeAuthor author, CancellationToken cancellationToken)
    {
        if (!await WebhookQueries.InstitutionExistsAsync(db, institutionId, cancellationToken))
        {
            return new NotFound();
        }
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var url = command.Url!.Trim();
        // Resolving the host happens before the transaction, so no lock is held across DNS.
        if (await WebhookInput.CheckUrlAsync(urls, url, cancellationToken) is { } refused)
        {
            return refused;
        }
        return await db.InTransactionAsync<Result<WebhookEndpointView>>(async transaction =>
        {
            if (!await db.LockInstitutionAsync(institutionId, cancellationToken))
            {
                return new NotFound();
            }
            var max = options.Value.MaxEndpointsPerInstitution;
            if (await db.WebhookEndpoints.CountAsync(e => e.InstitutionId == institutionId, cancellationToken) >= max)
            {
                return new ValidationFailed(new FieldError("$", ValidationCodes.TooMany, ValidationRules.Args("max", max)));
            }
            var now = clock.GetUtcNow();
            var (shown, stored) = secrets.Create();
            var endpoint = WebhookEndpoint.Create(institutionId, url, WebhookInput.Trimmed(command.Description), command.EventTypes?.Select(t => t!) ?? [], stored, now);
            db.WebhookEndpoints.Add(endpoint);
            db.AuditEvents.Add(author.Record(endpoint, AuditActions.WebhookEndpointCreated,
                AuditDetails.Of(("url", endpoint.Url), ("description", endpoint.Description), ("eventTypes", endpoint.EventTypes)), now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return WebhookEndpointView.From(endpoint, now.UtcDateTime, shown);
        }, cancellationToken);
    }
}
