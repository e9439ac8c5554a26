using System.Globalization;

namespace Tenantry.Server.Email;

/// <summary>
/// Emails go out from the outbox worker, outside the request that queued them: each is written in the language that request
/// negotiated (kept in the payload), and the worker's own culture is restored afterwards.
/// </summary>
internal static class EmailLanguage
{
    public static EmailMessage Compose(string? language, Func<EmailMessage> compose)
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(string.IsNullOrEmpty(language) ? "en" : language);
            return compose();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    /// <summary>The arguments of an email that carries a code: the addressee's name, the code and when it expires.</summary>
    public static Dictionary<string, object> CodeArguments(string name, string code, DateTime expiresAt) => new()
    {
        ["name"] = name,
        ["code"] = code,
        ["expiresAt"] = expiresAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
    };
}
