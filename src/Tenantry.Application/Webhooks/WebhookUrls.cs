using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks;

/// <summary>
/// Which URLs an endpoint may have: absolute http or https (https only when required, as in
/// Production), and a host that resolves only to public addresses unless private networks are
/// allowed. The delivery worker checks the address again when it connects (DNS can change).
/// </summary>
public sealed class WebhookUrls(IOptions<WebhookOptions> options)
{
    public enum Verdict
    {
        Allowed,
        Malformed,
        NotAllowed,
        HostNotFound,
    }

    public bool RequireHttps => options.Value.RequireHttps == true;

    public bool AllowPrivateNetworks => options.Value.AllowPrivateNetworks;

    public static bool IsWellFormed(string? url) =>
        url is { Length: > 0 and <= WebhookEndpoint.MaxUrlLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0
        && string.IsNullOrEmpty(uri.Fragment);

    public async Task<Verdict> CheckAsync(string? url, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(url))
        {
            return Verdict.Malformed;
        }
        var uri = new Uri(url!);
        if (RequireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            return Verdict.NotAllowed;
        }
        if (AllowPrivateNetworks)
        {
            return Verdict.Allowed;
        }
        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken);
            }
            catch (SocketException)
            {
                return Verdict.HostNotFound;
            }
        }
        if (addresses.Length == 0)
        {
            return Verdict.HostNotFound;
        }
        return addresses.All(WebhookAddresses.IsPublic) ? Verdict.Allowed : Verdict.NotAllowed;
    }
}
