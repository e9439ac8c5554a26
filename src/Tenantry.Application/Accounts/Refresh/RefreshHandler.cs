using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Refresh;

public sealed record RefreshCommand(string? RefreshToken);

public sealed class RefreshValidator : AbstractValidator<RefreshCommand>
{
    public RefreshValidator() => RuleFor(c => c.RefreshToken).Required().MaxChars(200);
}

/// <summary>
/// Rotates a refresh token: the presented one is consumed (atomically, so two concurrent
/// uses cannot both win) and the next one is issued in the same session. Presenting a
/// consumed token again means it leaked: the whole session is revoked.
/// </summary>
public sealed class RefreshHandler(TenantryDbContext db, IValidator<RefreshCommand> validator, SessionIssuer sessions, TimeProvider clock)
{
    public async Task<Result<AuthTokens>> HandleAsync(RefreshCommand command, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var hash = TokenHashing.Hash(command.RefreshToken!);
        var now = clock.GetUtcNow();

        return await db.InTransactionAsync<Result<AuthTokens>>(async transaction =>
        {
            var presented = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
            if (presented is null || presented.ExpiresAt <= now.UtcDateTime)
            {
                return new InvalidToken();
            }

            var consumed = presented.ConsumedAt is null && await db.RefreshTokens
                .Where(t => t.TokenHash == hash && t.ConsumedAt == null)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.ConsumedAt, now.UtcDateTime), cancellationToken) == 1;
            if (!consumed)
            {
                await db.Sessions.RevokeAsync(presented.SessionId, SessionRevocation.RefreshTokenReused, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new InvalidToken();
            }

            var session = await db.Sessions.FirstAsync(s => s.Id == presented.SessionId, cancellationToken);
            if (!session.IsActiveAt(now))
            {
                return new InvalidToken();
            }
            session.Touch(now);
            var tokens = await sessions.ContinueAsync(db, session, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return tokens;
        }, cancellationToken);
    }
}
