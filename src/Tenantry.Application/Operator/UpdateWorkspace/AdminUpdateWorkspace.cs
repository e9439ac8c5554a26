using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces;
using Tenantry.Application.Workspaces.Policies;
using Tenantry.Domain.Common;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Operator.UpdateWorkspace;

/// <summary>
/// The operator's partial update of a workspace (CONTRACT 7): status (suspension), policy,
/// metadata, presentation fields and segment names. Metadata values are raw JSON object text.
/// </summary>
public sealed record AdminUpdateWorkspaceCommand(
    Optional<string?> WorkspaceStatus,
    Optional<PolicyInput?> PolicyConfig,
    Optional<string?> PublicMetadata,
    Optional<string?> PrivateMetadata,
    Optional<string?> Description,
    Optional<string?> ImageUrl,
    Optional<string?> Slug,
    Optional<IReadOnlyList<string?>?> Segments);

public sealed class AdminUpdateWorkspaceValidator : AbstractValidator<AdminUpdateWorkspaceCommand>
{
    public const int MaxSegments = 50;

    public AdminUpdateWorkspaceValidator()
    {
        When(c => c.WorkspaceStatus.HasValue, () =>
            RuleFor(c => c.WorkspaceStatus.Value).Required().OneOf(WorkspaceCodes.Statuses));
        When(c => c.PolicyConfig is { HasValue: true, Value: not null }, () =>
            RuleFor(c => c.PolicyConfig.Value!).SetValidator(new PolicyInputValidator()));
        When(c => c.PublicMetadata.HasValue, () =>
            RuleFor(c => c.PublicMetadata.Value).JsonObject());
        When(c => c.PrivateMetadata.HasValue, () =>
            RuleFor(c => c.PrivateMetadata.Value).JsonObject());
        When(c => c.Description.HasValue, () =>
            RuleFor(c => c.Description.Value).MaxChars(Workspace.MaxDescriptionLength).MultiLineText());
        When(c => c.ImageUrl is { HasValue: true, Value: not null }, () =>
            RuleFor(c => c.ImageUrl.Value).MaxChars(Workspace.MaxImageUrlLength).SingleLineText().Must(AbsoluteHttpUrl.IsValid).WithErrorCode(ValidationCodes.InvalidUrl));
        When(c => c.Slug is { HasValue: true, Value: not null }, () =>
            RuleFor(c => c.Slug.Value).Must(Slugs.IsValid).WithErrorCode(ValidationCodes.InvalidSlug));
        When(c => c.Segments is { HasValue: true, Value: not null }, () =>
        {
            RuleFor(c => c.Segments.Value)
                .Must(s => s!.Count <= MaxSegments).WithErrorCode(ValidationCodes.TooMany).WithState(_ => ValidationRules.Args("max", MaxSegments));
            RuleForEach(c => c.Segments.Value).Required().MaxChars(Segment.MaxNameLength).SingleLineText();
        });
    }
}

public static class AbsoluteHttpUrl
{
    public static bool IsValid(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
