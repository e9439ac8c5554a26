using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Domain.Common;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi;

/// <summary>
/// What the organization and workspace management routes share: the caller's standing in the route's workspace (decided
/// before the body is read, so a non-member learns nothing from a malformed one), the body, the use case, and an answer
/// with data and the session after the change.
/// </summary>
internal static class WachtManagement
{
    public static async Task<IResult> MutationAsync<T>(
        HttpContext http, WachtSessions sessions, string[] lists, Func<WachtInput, Task<Result<T>>> handle)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http, lists);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var result = await handle(input!);
        return result.IsSuccess ? WachtResults.Ok(result.Value, await sessions.CurrentAsync(http)) : WachtResults.Error(result.Error!);
    }

    /// <summary>A mutation by a member of <paramref name="workspaceId"/> holding <paramref name="permission"/> (404 for anyone else, 403 without it).</summary>
    public static async Task<IResult> InWorkspaceAsync<T>(
        HttpContext http, WachtSessions sessions, WorkspaceAccess access, string workspaceId, string permission, string[] lists,
        Func<WorkspaceStanding, WachtInput, Task<Result<T>>> handle)
    {
        var standing = await access.CheckAsync(workspaceId, http.Caller(), permission, http.RequestAborted);
        if (!standing.IsSuccess)
        {
            return WachtResults.Error(standing.Error!);
        }
        return await MutationAsync(http, sessions, lists, input => handle(standing.Value, input));
    }

    /// <summary>Wacht's <c>page</c> and <c>limit</c> query parameters (absent: the first page of the default size).</summary>
    public static Result<PageRequest> Page(IQueryCollection query)
    {
        var page = Number(query, "page");
        var limit = Number(query, "limit");
        if (!page.IsSuccess || !limit.IsSuccess)
        {
            return (page.Error ?? limit.Error)!;
        }
        return PageRequest.From(page.Value, limit.Value);
    }

    private static Result<int?> Number(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return (int?)null;
        }
        return values.Count == 1 && int.TryParse(values[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : new ValidationFailed(new FieldError(name, ValidationCodes.OutOfRange));
    }

    /// <summary>A form's <c>true</c>/<c>false</c> (as the SDK's <c>String(boolean)</c> writes it); null when absent.</summary>
    public static Result<bool?> Flag(WachtInput input, string name) => input[name] switch
    {
        null => (bool?)null,
        var text when bool.TryParse(text, out var flag) => flag,
        _ => new ValidationFailed(new FieldError(name, ValidationCodes.UnknownValue)),
    };

    /// <summary>A refusal of the first field Tenantry does not keep, when the caller sent it with a value; rather that than ignoring it.</summary>
    public static DomainError? Unsupported(WachtInput input, params string[] names) =>
        names.FirstOrDefault(n => !string.IsNullOrEmpty(input[n])) is { } name ? new ValidationFailed(new FieldError(name, ValidationCodes.UnknownValue)) : null;
}
