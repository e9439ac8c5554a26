using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Policies;
using Tenantry.Domain.Common;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.Update;

/// <summary>A partial update by a member with <c>workspace.update</c>. Absent fields stay as they are.</summary>
public sealed record UpdateWorkspaceCommand(
    Optional<string?> WorkspaceName,
    Optional<string?> WorkspaceTimezone,
    Optional<string?> ExtraData,
    Optional<PolicyInput?> PolicyConfig);

public sealed class UpdateWorkspaceValidator : AbstractValidator<UpdateWorkspaceCommand>
{
    public UpdateWorkspaceValidator()
    {
        When(c => c.WorkspaceName.HasValue, () =>
            RuleFor(c => c.WorkspaceName.Value).Required().MaxChars(Workspace.MaxNameLength).SingleLineText());
        When(c => c.WorkspaceTimezone.HasValue, () =>
            RuleFor(c => c.WorkspaceTimezone.Value).Must(Timezones.IsValid).WithErrorCode(ValidationCodes.InvalidTimezone));
        When(c => c.ExtraData is { HasValue: true, Value: not null }, () =>
            RuleFor(c => c.ExtraData.Value).Must(json => JsonText.IsValidJson(json!)).WithErrorCode(ValidationCodes.InvalidJson));
        When(c => c.PolicyConfig is { HasValue: true, Value: not null }, () =>
            RuleFor(c => c.PolicyConfig.Value!).SetValidator(new PolicyInputValidator()));
    }
}
