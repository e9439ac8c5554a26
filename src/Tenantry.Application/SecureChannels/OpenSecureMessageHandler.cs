using Tenantry.Data;

namespace Tenantry.Application.SecureChannels;

/// <summary>A request body that came over a secure channel, opened: the channel's key (the answer is sealed with it) and the plaintext.</summary>
public sealed record OpenedMessage(byte[] Key, byte[] Plaintext);

/// <summary>
/// Opens a message sent over a secure channel (CONTRACT 3): the channel must be known and
/// unexpired, the ciphertext must authenticate under its key, and its IV must not have been used
/// on the channel before (replay protection, recorded in the database for every replica).
/// </summary>
public sealed class OpenSecureMessageHandler(SecureChannelKeys keys, TenantryDbContext db)
{
    /// <returns>Null for an unknown or expired channel, a tampered message, or a replay.</returns>
    public async Task<OpenedMessage?> HandleAsync(string channelId, byte[] iv, byte[] ciphertext, byte[] tag, CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(db, channelId, cancellationToken);
        if (key is null || SecureChannelCrypto.Open(key, iv, ciphertext, tag) is not { } plaintext
            || !await keys.TryUseIvAsync(db, channelId, iv, cancellationToken))
        {
            return null;
        }
        return new OpenedMessage(key, plaintext);
    }
}
