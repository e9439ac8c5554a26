using Tenantry.Client.Api;

namespace Tenantry.Client;

/// <summary>
/// The idiomatic layer's one way to call a generated operation (public or operator: both share
/// <see cref="ApiResponse{TResult}"/> and <see cref="ApiException"/>): the answer unwrapped from its
/// envelope, a page with the total from <c>X-Total-Count</c>, failures as <see cref="TenantryApiException"/>.
/// </summary>
internal static class ApiCalls
{
    public static async Task<T> Call<TEnvelope, T>(Func<Task<ApiResponse<TEnvelope>>> call, Func<TEnvelope, T?> data)
    {
        try
        {
            var response = await call();
            return data(response.Result)!;
        }
        catch (ApiException e)
        {
            throw TenantryApiException.FromResponse(e.StatusCode, e.Response, e.Headers, e);
        }
    }

    public static async Task<TenantryPage<T>> Page<TEnvelope, T>(Func<Task<ApiResponse<TEnvelope>>> call, Func<TEnvelope, List<T>?> data, int page, int pageSize)
    {
        try
        {
            var response = await call();
            var items = data(response.Result) ?? [];
            return new TenantryPage<T>(items, Paging.TotalCount(response.Headers, items.Count), page, pageSize);
        }
        catch (ApiException e)
        {
            throw TenantryApiException.FromResponse(e.StatusCode, e.Response, e.Headers, e);
        }
    }
}
