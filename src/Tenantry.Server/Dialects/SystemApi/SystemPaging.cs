using Tenantry.Application.Common;

namespace Tenantry.Server.Dialects.SystemApi;

/// <summary>
/// Paged lists keep <c>data</c> an array (the contract's shape for lists); the page is chosen
/// with the <c>page</c> and <c>pageSize</c> query parameters and the total is in a header.
/// </summary>
public static class SystemPaging
{
    public const string TotalCountHeader = "X-Total-Count";

    public static IResult Ok<TValue, TWire>(HttpContext http, Paged<TValue> page, Func<TValue, TWire> toWire)
    {
        http.Response.Headers[TotalCountHeader] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var items = new List<TWire>(page.Items.Count);
        foreach (var item in page.Items)
        {
            items.Add(toWire(item));
        }
        return SystemResults.Ok(items);
    }

    /// <summary>Runs <paramref name="list"/> for a valid page request, else answers its <c>4000</c>.</summary>
    public static async Task<IResult> ListAsync<TValue, TWire>(
        HttpContext http, int? page, int? pageSize, Func<PageRequest, Task<Paged<TValue>>> list, Func<TValue, TWire> toWire)
    {
        var request = PageRequest.From(page, pageSize);
        return request.IsSuccess ? Ok(http, await list(request.Value), toWire) : SystemResults.Error(request.Error);
    }
}
