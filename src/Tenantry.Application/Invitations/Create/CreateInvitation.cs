using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Invitations.Create;

public sealed record CreateInvitationCommand(string? Email, string? RoleBizId);

public sealed class CreateInvitationValidator : AbstractValidator<CreateInvitationCommand>
{
    public CreateInvitationValidator()
    {
        RuleFor(c => c.Email).Required().DependentRules(() =>
            RuleFor(c => c.Email).Must(e => EmailAddress.TryParse(e, out _)).WithErrorCode(ValidationCodes.InvalidEmail));
        RuleFor(c => c.RoleBizId).Required();
    }
}
