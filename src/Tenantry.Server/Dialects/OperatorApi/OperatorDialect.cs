using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Domain.Common;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.Shared;

namespace Tenantry.Server.Dialects.OperatorApi;

/// <summary>
/// The operator API (<c>/admin/v1</c>, CONTRACT 7): the envelope, the <c>X-Admin-Key</c> header
/// instead of user tokens, and its own wire types (<see cref="OperatorJsonContext"/>).
/// </summary>
public sealed class OperatorDialect : IWireDialect
{
    public const string Prefix = "/admin/v1";

    public const string KeyHeader = "X-Admin-Key";

    public static readonly EnvelopeError InvalidAdminKey = new(401, "4010", "Error.InvalidAdminKey");

    public bool Owns(PathString path) => path.StartsWithSegments(Prefix);

    public Task WriteErrorAsync(HttpContext http, DialectError error, TimeSpan? retryAfter, FieldError? field) =>
        EnvelopeErrors.For(error, retryAfter, field).WriteAsync(http);

    public Task WriteErrorAsync(HttpContext http, DomainError error) => EnvelopeErrors.Describe(error).WriteAsync(http);
}

/// <summary>How operator endpoints answer: the envelope, with this dialect's wire types.</summary>
internal static class OperatorResults
{
    private static readonly EnvelopeAnswers s_answers = new(OperatorJsonContext.Default);

    public static IResult From<TValue, TWire>(Result<TValue> result, Func<TValue, TWire> toWire) => s_answers.From(result, toWire);

    public static IResult From(Result result) => s_answers.From(result);

    public static IResult Ok<T>(T data) => s_answers.Ok(data);

    public static IResult Error(DomainError error) => EnvelopeAnswers.Error(error);

    /// <summary>A page as the SYSTEM lists answer it: <c>data</c> an array, the total in <c>X-Total-Count</c>.</summary>
    public static IResult Page<TValue, TWire>(HttpContext http, Paged<TValue> page, Func<TValue, TWire> toWire)
    {
        http.Response.Headers[TotalCountHeader] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Ok(page.Items.Select(toWire).ToList());
    }

    /// <summary>Runs <paramref name="list"/> for a valid page request (<c>page</c> from 1, <c>pageSize</c> 1–200), else answers its <c>4000</c>.</summary>
    public static async Task<IResult> ListAsync<TValue, TWire>(
        HttpContext http, int? page, int? pageSize, Func<PageRequest, Task<Result<Paged<TValue>>>> list, Func<TValue, TWire> toWire)
    {
        var request = PageRequest.From(page, pageSize);
        if (!request.IsSuccess)
        {
            return Error(request.Error);
        }
        var result = await list(request.Value);
        return result.IsSuccess ? Page(http, result.Value, toWire) : Error(result.Error);
    }

    public const string TotalCountHeader = "X-Total-Count";
}

public static class OperatorDialectHosting
{
    public static IServiceCollection AddOperatorDialect(this IServiceCollection services, TenantryOptions options)
    {
        OperatorKeyGate.CheckConfiguration(options);
        return services.AddWireDialect<OperatorDialect>();
    }

    /// <summary>The key check for every <c>/admin/v1</c> path, before routing's answers and body binding (<see cref="OperatorKeyGate"/>).</summary>
    public static void UseOperatorGate(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TenantryOptions>>().Value;
        if (!string.IsNullOrEmpty(options.AdminApiKey))
        {
            app.UseMiddleware<OperatorKeyGate>(options.AdminApiKey, options.Operator);
        }
    }

    /// <summary>Maps the operator API when <c>Tenantry:AdminApiKey</c> is set; without it every operator path answers 404.</summary>
    public static void MapOperatorDialect(this WebApplication app) => OperatorEndpoints.Map(app);
}
