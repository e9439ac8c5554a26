using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.CreateSelf;

/// <summary>Self-service creation. <see cref="WorkspaceKind"/> is the wire code ("LIVE", "SANDBOX").</summary>
/// <param name="InstitutionId">When given, the institution the caller owns, where the workspace must go (Wacht names it).</param>
/// <param name="NewInstitution">The workspace must found a new institution (Wacht's organization creation): refused when the caller owns one.</param>
public sealed record CreateSelfWorkspaceCommand(
    string? WorkspaceName, string? WorkspaceKind, string? WorkspaceTimezone, string? InstitutionName, string? InstitutionId = null, bool NewInstitution = false);

public sealed class CreateSelfWorkspaceValidator : AbstractValidator<CreateSelfWorkspaceCommand>
{
    public CreateSelfWorkspaceValidator()
    {
        RuleFor(c => c.WorkspaceName).Required().MaxChars(Workspace.MaxNameLength).SingleLineText();
        RuleFor(c => c.WorkspaceKind).OneOf(WorkspaceCodes.Kinds);
        RuleFor(c => c.WorkspaceTimezone).Must(tz => tz is null || Timezones.IsValid(tz)).WithErrorCode(ValidationCodes.InvalidTimezone);
        RuleFor(c => c.InstitutionName).Must(n => n is null || n.Trim().Length > 0).WithErrorCode(ValidationCodes.Required)
            .MaxChars(Institution.MaxNameLength).SingleLineText();
    }
}
