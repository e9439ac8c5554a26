using Microsoft.AspNetCore.Components;
using Tenantry.Application.Accounts.Authentication;
using Tenantry.Application.Common;
using Tenantry.Domain.Common;
using Tenantry.Server.Security;

namespace Tenantry.Server.WebConsole;

/// <summary>
/// What every console page shares: the request, the signed-in caller (the same <c>__session</c> cookie and
/// server-side session as the dialects, checked by the same <see cref="RequestAuthenticator"/>), the words,
/// and how a refusal is shown (a status code and a message, never a 500).
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    public HttpContext Http { get; set; } = default!;

    [Inject]
    public ConsoleText T { get; set; } = default!;

    [Inject]
    public NavigationManager Navigation { get; set; } = default!;

    /// <summary>The signed-in caller, once <see cref="SignedInAsync"/> found one.</summary>
    protected Caller Caller { get; set; } = default!;

    /// <summary>The message of the last refusal, shown in an alert region.</summary>
    protected string? Problem { get; set; }

    protected IReadOnlyList<(string Field, string Message)> Problems { get; set; } = [];

    /// <summary>A success message shown in a status region.</summary>
    protected string? Notice { get; set; }

    protected CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The status code of this answer (see <see cref="ConsoleHosting.StatusItem"/>).</summary>
    protected int? Status
    {
        get => Http.Items[ConsoleHosting.StatusItem] as int?;
        set => Http.Items[ConsoleHosting.StatusItem] = value;
    }

    /// <summary>
    /// The caller of this request, or null when the cookie names no live session. Looked up once per request and
    /// shared: static rendering starts the page while the layout still awaits its own look-up, and two queries at
    /// once on the request's one DbContext fail.
    /// </summary>
    public static Task<Caller?> AuthenticateAsync(HttpContext http)
    {
        if (http.Items[CallerItem] is not Task<Caller?> lookup)
        {
            lookup = LookUpCallerAsync(http);
            http.Items[CallerItem] = lookup;
        }
        return lookup;
    }

    /// <summary>The caller looked up again: a change made by this request moved the session's memberships version.</summary>
    protected static Task<Caller?> AuthenticateAgainAsync(HttpContext http)
    {
        http.Items.Remove(CallerItem);
        return AuthenticateAsync(http);
    }

    private static readonly object CallerItem = new();

    private static async Task<Caller?> LookUpCallerAsync(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(AuthenticationSchemes.SessionCookie, out var token) || token.Length == 0)
        {
            return null;
        }
        var authenticator = http.RequestServices.GetRequiredService<RequestAuthenticator>();
        var result = await authenticator.AuthenticateSessionTokenAsync(token, http.RequestServices, http.RequestAborted);
        if (!result.IsSuccess)
        {
            return null;
        }
        var session = result.Value;
        return new Caller(session.UserId, session.SessionId, session.MfaVerified, http.Connection.RemoteIpAddress)
        {
            MembershipsVersion = session.MembershipsVersion,
        };
    }

    /// <summary>True with <see cref="Caller"/> set; otherwise redirects to the sign-in page, which comes back here.</summary>
    protected async Task<bool> SignedInAsync()
    {
        if (await AuthenticateAsync(Http) is { } caller)
        {
            Caller = caller;
            return true;
        }
        var here = Http.Request.Path + Http.Request.QueryString;
        Navigation.NavigateTo($"{ConsoleHosting.Prefix}/sign-in?returnUrl={Uri.EscapeDataString(here)}");
        return false;
    }

    protected RequestOrigin Origin =>
        new(Http.Connection.RemoteIpAddress, Http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);

    /// <summary>Shows a refusal: its status code on the answer, its message on the page.</summary>
    protected void Refuse(DomainError error)
    {
        Problem = T.Error(error);
        Problems = T.Problems(error);
        Status = ConsoleText.Status(error);
    }

    /// <summary>A posted action no button of the page offers.</summary>
    protected static ValidationFailed UnknownAction(string allowed) =>
        new([new FieldError("Action", "UnknownValue", new Dictionary<string, object> { ["allowed"] = allowed })]);

    protected static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Shows the state after a change; a refusal keeps its status code and message.</summary>
    protected async Task KeepingProblemAsync(Func<Task> reload)
    {
        var problem = Problem;
        var problems = Problems;
        var status = Status;
        await reload();
        if (problem is not null)
        {
            Problem = problem;
            Problems = problems;
            Status = status;
        }
    }

    /// <summary>A Fluent checkbox posts <c>True</c> when it is ticked and nothing otherwise; any case is taken.</summary>
    protected static bool Ticked(string? posted) => string.Equals(posted, bool.TrueString, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The items of the ticked boxes named <paramref name="prefix"/> followed by the item (a Fluent checkbox's value is
    /// always <c>True</c>, so a list of boxes, like a role's permissions, carries each item in its name).
    /// </summary>
    protected List<string?> TickedItems(string prefix) =>
        Http.Request.HasFormContentType
            ? [.. Http.Request.Form.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && Ticked(f.Value.ToString()))
                .Select(f => (string?)f.Key[prefix.Length..])]
            : [];

    /// <summary>An action value <c>verb:id</c> from the button that submitted the form.</summary>
    protected (string Verb, string Id) PostedAction()
    {
        var action = Http.Request.HasFormContentType ? Http.Request.Form["Action"].ToString() : "";
        return action.Split(':', 2) is [var verb, var id] ? (verb, id) : (action, "");
    }
}
