using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Me;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Data.Changes;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Profile;

/// <summary>The caller's own profile: the display name, under the same rules as at sign-up.</summary>
public sealed record UpdateProfileCommand(string? DisplayName);

public sealed class UpdateProfileValidator : AbstractValidator<UpdateProfileCommand>
{
    public UpdateProfileValidator() =>
        RuleFor(c => c.DisplayName).Required().MaxChars(UserAccount.MaxDisplayNameLength).SingleLineText();
}

/// <summary>
/// Renames the caller's account and records it in the account's trail. The sessions' cached view of the account (the
/// sign-in's user in Wacht's session block) is dropped with the change, so the next answer shows the new name.
/// </summary>
public sealed class UpdateProfileHandler(TenantryDbContext db, IValidator<UpdateProfileCommand> validator, TimeProvider clock)
{
    public async Task<Result<AccountView>> HandleAsync(UpdateProfileCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var now = clock.GetUtcNow();
        var user = await db.Users.FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        if (user.Rename(command.DisplayName!, now))
        {
            db.AccountEvents.Add(AccountEvent.ByUser(user.Id, caller.UserId, AccountActions.ProfileUpdated, caller.ClientIpText,
                AuditDetails.Of(("displayName", user.DisplayName)), now));
            var sessions = await db.Sessions.Where(s => s.UserId == user.Id && s.RevokedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
            sessions.ForEach(id => db.PendingChanges.Record(DataChange.Session(id)));
            await db.SaveChangesAsync(cancellationToken);
        }
        return AccountView.From(user);
    }
}
