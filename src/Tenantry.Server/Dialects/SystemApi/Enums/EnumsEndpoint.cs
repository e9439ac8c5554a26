using Tenantry.Server.Dialects.Envelope;

namespace Tenantry.Server.Dialects.SystemApi.Enums;

/// <summary><c>GET /web/v1/system/enums</c>: the whole dictionary, localized. Needs the portal code, not a token.</summary>
internal static class EnumsEndpoint
{
    public static void Map(RouteGroupBuilder web) =>
        web.MapGet("/system/enums", (SystemEnums enums) => SystemResults.Ok(enums.Dictionary()))
            .WithName("ListEnums")
            .WithSummary("The enum dictionary (codes, numeric values, localized labels)")
            .Produces<EnvelopeDoc<Dictionary<string, List<SystemEnumValue>>>>();
}
