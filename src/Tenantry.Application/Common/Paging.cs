using Tenantry.Domain.Common;

namespace Tenantry.Application.Common;

/// <summary>
/// One page of a list: <c>page</c> counts from 1, <c>pageSize</c> is bounded so that a client
/// cannot ask for everything at once. Field names are the query parameters' own.
/// </summary>
public sealed record PageRequest(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 100_000;

    public int Skip => (Page - 1) * PageSize;

    public static Result<PageRequest> From(int? page, int? pageSize)
    {
        var problems = new List<FieldError>();
        if (page is < 1 or > MaxPage)
        {
            problems.Add(OutOfRange("page", 1, MaxPage));
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            problems.Add(OutOfRange("pageSize", 1, MaxPageSize));
        }
        return problems.Count > 0 ? new ValidationFailed(problems) : new PageRequest(page ?? 1, pageSize ?? DefaultPageSize);
    }

    private static FieldError OutOfRange(string field, int min, int max) =>
        new(field, ValidationCodes.OutOfRange, new Dictionary<string, object> { ["min"] = min, ["max"] = max });
}

/// <summary>A page of items and how many there are in all.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, PageRequest Request, int Total);
