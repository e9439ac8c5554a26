using Tenantry.Server.Dialects.Envelope;

namespace Tenantry.Server.Dialects.SystemApi.Gateway;

/// <summary>The SYSTEM gateway's own refusals (CONTRACT 3), in the envelope.</summary>
public static class GatewayErrors
{
    public static readonly EnvelopeError PortalAccessDenied = new(403, "GATEWAY.PORTAL_ACCESS_DENIED", "Error.PortalAccessDenied");
    public static readonly EnvelopeError SecureChannelRequired = new(403, "GATEWAY.SECURE_CHANNEL_REQUIRED", "Error.SecureChannelRequired");
    public static readonly EnvelopeError SecureChannelInvalid = new(400, "GATEWAY.SECURE_CHANNEL_INVALID", "Error.SecureChannelInvalid");
}
