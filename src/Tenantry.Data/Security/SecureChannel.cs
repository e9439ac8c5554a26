namespace Tenantry.Data.Security;

/// <summary>
/// A secure channel (CONTRACT 3): the AES-256-GCM key both sides derived from the ECDH
/// handshake, encrypted at rest with Data Protection, shared by every replica, until it expires.
/// </summary>
public sealed class SecureChannel
{
    public const int MaxProtectedKeyLength = 1024;

    public string Id { get; set; } = null!;
    public string ProtectedKey { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>An IV already used on a channel: the unique (channel, IV) pair is the replay protection.</summary>
public sealed class SecureChannelNonce
{
    public string ChannelId { get; set; } = null!;

    /// <summary>The 12-byte IV, hex.</summary>
    public string Iv { get; set; } = null!;

    public DateTime CreatedAt { get; set; }
}
