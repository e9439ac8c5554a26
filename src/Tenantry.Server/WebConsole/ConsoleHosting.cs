using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.FluentUI.AspNetCore.Components;
using Tenantry.Application.Invitations;
using Tenantry.Server.Configuration;
using Tenantry.Server.Localization;

namespace Tenantry.Server.WebConsole;

/// <summary>
/// The web console: Blazor components rendered on the server (static SSR, plain HTML forms with
/// antiforgery tokens), under <c>/console</c>. It is a third front end of the Application layer,
/// beside the dialects, and knows none of them (tested).
/// </summary>
public static class ConsoleHosting
{
    public const string Prefix = "/console";

    /// <summary>The cookie that keeps the language picked in the console (else <c>Accept-Language</c> decides).</summary>
    public const string LanguageCookie = "tenantry_lang";

    /// <summary>
    /// The status a page decided while rendering (404 for "not found", 403, 400...). Blazor's endpoint sends no body
    /// with a 404 set during rendering, so pages leave the status here and the console's middleware applies it to the
    /// rendered (buffered) page.
    /// </summary>
    public const string StatusItem = "tenantry.console.status";

    /// <summary>
    /// Scripts and styles only from this server, no inline code, no frames, forms only to this server.
    /// Two scripts, both from here: the component library's web components (one module; its styles are constructed
    /// style sheets, which style-src does not govern) and a small file that fills in the invitation token from the
    /// link's fragment.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    public static void AddTenantryConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddFluentUIComponents();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "__console_af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddScoped<ConsoleText>();
        services.AddSingleton<Admin.OperatorSession>();
        services.AddSingleton<IPostConfigureOptions<InvitationOptions>, ConsoleInvitationLink>();
    }

    /// <summary>After request localization: the console's language cookie wins over <c>Accept-Language</c>; the CSP on every console answer.</summary>
    public static void UseTenantryConsole(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(Prefix))
            {
                await next(http);
                return;
            }
            http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            if (!Uri.TryCreate($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/", UriKind.Absolute, out var own)
                || own.Scheme is not ("http" or "https"))
            {
                // Pages build links from the request's own address; a forwarded scheme or host that is no URL cannot make one.
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsync("Bad request", http.RequestAborted);
                return;
            }
            if (http.Request.Cookies.TryGetValue(LanguageCookie, out var picked) && LanguageNegotiation.Map(picked) is { } language)
            {
                var culture = CultureInfo.GetCultureInfo(language);
                CultureInfo.CurrentUICulture = culture;
                http.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(CultureInfo.CurrentCulture, culture), null));
            }
            // Pages are small: buffered, so that the status a page decided can still be set after it rendered.
            var original = http.Response.Body;
            await using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await next(http);
                if (http.Items[StatusItem] is int status && http.Response.StatusCode == StatusCodes.Status200OK)
                {
                    http.Response.StatusCode = status;
                }
            }
            finally
            {
                http.Response.Body = original;
            }
            if (buffer.Length > 0)
            {
                http.Response.ContentLength = buffer.Length;
                buffer.Position = 0;
                await buffer.CopyToAsync(original, http.RequestAborted);
            }
        });
    }

    public static void MapTenantryConsole(this WebApplication app)
    {
        app.MapRazorComponents<App>();
        AuditConsole.MapCsv(app);
        MapAsset(app, "console.css", "text/css; charset=utf-8");
        MapAsset(app, "console.js", "text/javascript; charset=utf-8");
        MapAsset(app, "fluent.js", "text/javascript; charset=utf-8");
        MapAsset(app, "fluent.css", "text/css; charset=utf-8");
        app.MapGet(Prefix + "/language", (HttpContext http, string? set, string? returnUrl) =>
        {
            if (LanguageNegotiation.Map(set) is { } language)
            {
                http.Response.Cookies.Append(LanguageCookie, language, new CookieOptions
                {
                    HttpOnly = true, SameSite = SameSiteMode.Lax, Path = Prefix, MaxAge = TimeSpan.FromDays(365), IsEssential = true,
                    Secure = http.Request.IsHttps,
                });
            }
            return Results.LocalRedirect(ConsolePaths.SafeReturn(returnUrl));
        }).ExcludeFromDescription();
    }

    private static void MapAsset(WebApplication app, string name, string contentType)
    {
        var bytes = ReadAsset(name);
        app.MapGet($"{Prefix}/{name}", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(bytes, contentType);
        }).ExcludeFromDescription();
    }

    private static byte[] ReadAsset(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream($"Tenantry.Server.WebConsole.Assets.{name}")
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>
/// Unless <c>Tenantry:Invitations:AcceptUrl</c> is set, invitation emails link to the console's accept page:
/// <c>{origin}/console/invitations/{invitationId}#token={token}</c>, the origin being <c>Tenantry:PublicOrigin</c>
/// or the first address the server listens on (<c>Urls</c>).
/// </summary>
public sealed class ConsoleInvitationLink(IOptions<TenantryOptions> tenantry, IConfiguration configuration) : IPostConfigureOptions<InvitationOptions>
{
    public void PostConfigure(string? name, InvitationOptions options)
    {
        if (!string.IsNullOrEmpty(options.AcceptUrl))
        {
            return;
        }
        var origin = tenantry.Value.PublicOrigin;
        if (string.IsNullOrEmpty(origin))
        {
            var first = (configuration["Urls"] ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault() ?? "http://127.0.0.1:5080";
            origin = first.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        }
        options.AcceptUrl = origin.TrimEnd('/') + ConsoleHosting.Prefix + "/invitations/{invitationId}#token={token}";
    }
}

public static class ConsolePaths
{
    /// <summary>A local console path to go back to, never another site (<c>//evil</c>, <c>/\evil</c>).</summary>
    public static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url.StartsWith(ConsoleHosting.Prefix, StringComparison.Ordinal)
            && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            && (url.Length == ConsoleHosting.Prefix.Length || url[ConsoleHosting.Prefix.Length] is '/' or '?')
            ? url
            : ConsoleHosting.Prefix;
}
