using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tenantry.Client;

/// <summary>One page of a list and how many items there are in all (the <c>X-Total-Count</c> header).</summary>
public sealed record TenantryPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public bool HasMore => Page * PageSize < Total;
}

internal static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static int TotalCount(IReadOnlyDictionary<string, IEnumerable<string>> headers, int fallback)
    {
        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, "X-Total-Count", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
            {
                return total;
            }
        }
        return fallback;
    }

    /// <summary>Every item of every page, fetching the next page only when the caller gets there.</summary>
    public static async IAsyncEnumerable<T> AllAsync<T>(
        Func<int, int, CancellationToken, Task<TenantryPage<T>>> fetch, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"A page holds 1 to {MaxPageSize} items.");
        }
        for (var page = 1; ; page++)
        {
            var current = await fetch(page, pageSize, cancellationToken);
            foreach (var item in current.Items)
            {
                yield return item;
            }
            if (!current.HasMore || current.Items.Count == 0)
            {
                yield break;
            }
        }
    }
}
