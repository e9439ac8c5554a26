using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Localization;
using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.Shared.Json;
using Tenantry.Server.Localization;

namespace Tenantry.Server.Dialects.Envelope;

/// <summary>
/// How an envelope dialect answers, always in the envelope, success or error; its wire types
/// come from the dialect's own source-generated JSON context.
/// </summary>
public sealed class EnvelopeAnswers(JsonSerializerContext types)
{
    public IResult Ok<T>(T data) => new EnvelopeResult<T>(StatusCodes.Status200OK, "2000", null, null, data, TypeInfo<T>(), null);

    /// <summary>A success that is not the plain <c>2000</c> (an MFA challenge instead of tokens): its own code and message.</summary>
    public IResult Ok<T>(T data, string code, string messageKey) =>
        new EnvelopeResult<T>(StatusCodes.Status200OK, code, messageKey, null, data, TypeInfo<T>(), null);

    /// <summary>Success with <c>data</c> already serialized (<see cref="AnswerJson.Serialize{T}"/>), for answers kept and replayed.</summary>
    public static IResult OkJson(byte[] data) => new EnvelopeJsonResult(data);

    public static IResult Error(DomainError error) => EnvelopeErrors.Describe(error).ToResult();

    /// <summary>The use case's value through <paramref name="toWire"/>, or its error.</summary>
    public IResult From<TValue, TWire>(Result<TValue> result, Func<TValue, TWire> toWire) =>
        result.IsSuccess ? Ok(toWire(result.Value)) : Error(result.Error);

    public IResult From(Result result) => result.IsSuccess ? Ok<object?>(null) : Error(result.Error);

    private JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>?)types.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered in {types.GetType().Name}.");
}

/// <summary>An envelope answer; the message is localized and the version read from the endpoint when it executes.</summary>
internal sealed class EnvelopeResult<T>(
    int status, string code, string? messageKey, IReadOnlyDictionary<string, object>? messageArguments, T? data, JsonTypeInfo<T>? dataType,
    TimeSpan? retryAfter) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var message = messageKey is null ? "SUCCESS" : httpContext.RequestServices.GetRequiredService<IStringLocalizer<Messages>>().Text(messageKey, messageArguments);
        if (retryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = DialectErrors.RetryAfterSeconds(wait);
        }
        return data is null || dataType is null
            ? EnvelopeWriter.WriteAsync(httpContext, status, code, message, writeData: null)
            : EnvelopeWriter.WriteAsync(httpContext, status, code, message, data, dataType);
    }
}

/// <summary>A success whose <c>data</c> was serialized earlier (see <see cref="AnswerJson.Serialize{T}"/>).</summary>
internal sealed class EnvelopeJsonResult(byte[] data) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) =>
        EnvelopeWriter.WriteAsync(httpContext, StatusCodes.Status200OK, "2000", "SUCCESS", writer => writer.WriteRawValue(data, skipInputValidation: true));
}
