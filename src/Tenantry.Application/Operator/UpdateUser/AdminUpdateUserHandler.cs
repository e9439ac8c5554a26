using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.EmailVerification;
using Tenantry.Application.Common;
using Tenantry.Application.Operator.Users;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.UpdateUser;

/// <summary>
/// Lets an operator vouch for an account's address (<c>emailVerified: true</c>: the account may then
/// be matched to invitations by that address) or withdraw that (<c>false</c>: the account verifies
/// again through the email). Each change writes an account event whose actor is <c>operator</c>
/// (the operator API has no user id); setting the state it already has changes nothing and records
/// nothing. Verifying also drops the account's open verification email secrets.
/// </summary>
public sealed class AdminUpdateUserHandler(
    TenantryDbContext db, IValidator<AdminUpdateUserCommand> validator, EmailVerifications verifications, TimeProvider clock)
{
    public async Task<Result<AdminUserView>> HandleAsync(string? userId, AdminUpdateUserCommand command, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(userId, EntityId.User))
        {
            return new NotFound();
        }
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var now = clock.GetUtcNow();
        // The open verification is dropped in the same transaction as the change it makes moot.
        return await AdminUsers.ChangeAsync(db, userId, now, async user =>
        {
            if (command.EmailVerified is not { HasValue: true, Value: { } verified })
            {
                return;
            }
            if (verified)
            {
                await verifications.MarkVerifiedAsync(user, EmailVerificationMethods.Operator, actorUserId: null, clientIp: null, now, cancellationToken);
            }
            else if (user.MarkEmailUnverified(now))
            {
                AdminUsers.Record(db, AccountActions.EmailUnverified, user.Id, AuditDetails.Of(("email", user.Email)), now);
            }
        }, cancellationToken);
    }
}
