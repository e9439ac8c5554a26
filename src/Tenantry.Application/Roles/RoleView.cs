using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Roles;

/// <summary>A role of a workspace as the dialects show it.</summary>
public sealed record RoleView(
    string RoleId, string Name, string? Description, BuiltInRole? BuiltIn, IReadOnlyList<string> Permissions, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static RoleView From(WorkspaceRole r) => new(r.Id, r.Name, r.Description, r.BuiltIn, r.Permissions, r.CreatedAt, r.UpdatedAt);
}

/// <summary>The input rules shared by creating and editing a custom role.</summary>
public static class RoleRules
{
    public static IRuleBuilderOptions<T, string?> RoleName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Required().MaxChars(WorkspaceRole.MaxNameLength).SingleLineText();

    public static IRuleBuilderOptions<T, string?> RoleDescription<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaxChars(WorkspaceRole.MaxDescriptionLength).MultiLineText();

    /// <summary>A list (possibly empty) of catalogue permissions; each unknown entry is reported at its index.</summary>
    public static void PermissionList<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IEnumerable<string?>?>> list)
    {
        validator.RuleFor(list).NotNull().WithErrorCode(ValidationCodes.Required);
        validator.RuleForEach<string?>(list!).Must(p => p is not null && Permissions.IsKnown(p)).WithErrorCode(ValidationCodes.UnknownPermission);
    }
}
