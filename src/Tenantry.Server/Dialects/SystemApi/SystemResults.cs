using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.Envelope;

namespace Tenantry.Server.Dialects.SystemApi;

/// <summary>How SYSTEM endpoints answer: always the envelope (<see cref="EnvelopeAnswers"/>), with this dialect's wire types.</summary>
public static class SystemResults
{
    private static readonly EnvelopeAnswers s_answers = new(SystemJsonContext.Default);

    public static IResult Ok<T>(T data) => s_answers.Ok(data);

    /// <summary>A success that is not the plain <c>2000</c> (an MFA challenge instead of tokens): its own code and message.</summary>
    public static IResult Ok<T>(T data, string code, string messageKey) => s_answers.Ok(data, code, messageKey);

    /// <summary>Success with <c>data</c> already serialized (JSON).</summary>
    public static IResult OkJson(byte[] data) => EnvelopeAnswers.OkJson(data);

    public static IResult Error(DomainError error) => EnvelopeAnswers.Error(error);

    /// <summary>The use case's value through <paramref name="toWire"/>, or its error.</summary>
    public static IResult From<TValue, TWire>(Result<TValue> result, Func<TValue, TWire> toWire) => s_answers.From(result, toWire);

    public static IResult From(Result result) => s_answers.From(result);
}
