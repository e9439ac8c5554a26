using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Application.Security;
using Tenantry.Data;
using Tenantry.Data.Security;
using Tenantry.Domain.Common;

namespace Tenantry.Application.SecureChannels.Handshake;

public sealed record HandshakeCommand(string? ClientPublicKey);

public sealed record HandshakeResult(string ChannelId, string ServerPublicKey, DateTime ExpiresAt);

/// <summary>
/// Opens a secure channel: agrees on a key with the client's ECDH public key and stores it
/// (encrypted at rest) with its expiry, so that every replica can serve the channel.
/// </summary>
public sealed class HandshakeHandler(TenantryDbContext db, SecretsAtRest secrets, IOptions<SecureChannelOptions> options, TimeProvider clock)
{
    public async Task<Result<HandshakeResult>> HandleAsync(HandshakeCommand command, CancellationToken cancellationToken)
    {
        using var clientKey = SecureChannelCrypto.ImportClientKey(command.ClientPublicKey);
        if (clientKey is null)
        {
            var code = string.IsNullOrWhiteSpace(command.ClientPublicKey) ? ValidationCodes.Required : ValidationCodes.InvalidPublicKey;
            return new ValidationFailed(new FieldError("$.ClientPublicKey", code));
        }
        var now = clock.GetUtcNow();
        var channelId = EntityId.New(EntityId.SecureChannel, now);
        var (serverPublicKey, key) = SecureChannelCrypto.Agree(clientKey, channelId);
        var channel = new SecureChannel
        {
            Id = channelId,
            ProtectedKey = secrets.Protect(SecretKind.SecureChannelKey, key),
            CreatedAt = now.UtcDateTime,
            ExpiresAt = (now + options.Value.SecureChannelLifetime).UtcDateTime,
        };
        CryptographicOperations.ZeroMemory(key);
        db.SecureChannels.Add(channel);
        await db.SaveChangesAsync(cancellationToken);
        return new HandshakeResult(channelId, serverPublicKey, channel.ExpiresAt);
    }
}
