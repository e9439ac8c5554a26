namespace Tenantry.Client;

/// <summary>A signed-in session's tokens. The refresh token is single-use: each refresh hands out a new one.</summary>
public sealed record TenantryTokens(string UserId, string SessionId, string AccessToken, string RefreshToken, DateTimeOffset AccessTokenExpiresAt);

/// <summary>
/// Where the client keeps the tokens of the session it acts for. The default keeps them in memory
/// for the client's lifetime; register your own (before <c>AddTenantryClient</c>) to persist them.
/// A refresh token is single-use (reusing one revokes the session), so a store shared by several
/// processes must hand each refresh's result to all of them.
/// </summary>
public interface ITenantryTokenStore
{
    ValueTask<TenantryTokens?> GetAsync(CancellationToken cancellationToken);

    ValueTask SetAsync(TenantryTokens? tokens, CancellationToken cancellationToken);
}

public sealed class InMemoryTenantryTokenStore : ITenantryTokenStore
{
    private volatile TenantryTokens? _tokens;

    public ValueTask<TenantryTokens?> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_tokens);

    public ValueTask SetAsync(TenantryTokens? tokens, CancellationToken cancellationToken)
    {
        _tokens = tokens;
        return ValueTask.CompletedTask;
    }
}
