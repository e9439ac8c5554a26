using Tenantry.Application.SecureChannels;
using Tenantry.Application.SecureChannels.Handshake;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.SystemApi.Gateway;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.SecureChannel;

public sealed record HandshakeRequest(string? ClientPublicKey);

public sealed record SystemSecureChannel(string ChannelId, string ServerPublicKey, DateTime ExpiresAt)
{
    public static SystemSecureChannel From(HandshakeResult r) => new(r.ChannelId, r.ServerPublicKey, r.ExpiresAt);
}

/// <summary>The secure channel's handshake (CONTRACT 3); the channel itself is <see cref="SecureChannelGate"/>.</summary>
internal static class SecureChannelEndpoints
{
    public static void Map(RouteGroupBuilder web) =>
        web.MapPost("/secure-channel/handshake", async (HandshakeRequest body, HandshakeHandler handler, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(new HandshakeCommand(body.ClientPublicKey), ct), SystemSecureChannel.From))
            .WithMetadata(SecureChannelExempt.Instance)
            .RequireRateLimiting(RateLimitPolicies.Handshake)
            .WithTags("Secure channel")
            .WithSummary("Open a secure channel: {clientPublicKey} is an ECDH P-256 public key (base64 SubjectPublicKeyInfo). " +
                "Key = HKDF-SHA256(ikm = raw ECDH shared secret, salt = UTF-8 channelId, info = \"" + SecureChannelCrypto.KdfInfo + "\", 32 bytes), " +
                "used with AES-256-GCM (12-byte IV, 16-byte tag, no AAD). Encrypted mutations send header X-Secure-Channel: channelId " +
                "and body {iv, ciphertext, tag} (base64); the answer's data comes back encrypted the same way. Each IV is accepted once")
            .Produces<EnvelopeDoc<SystemSecureChannel>>();
}
