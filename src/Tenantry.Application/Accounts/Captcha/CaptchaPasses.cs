using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Captcha;

/// <summary>Configuration: Tenantry:Wacht:Captcha (the proof-of-work check in front of the Wacht sign-in and sign-up forms).</summary>
public sealed class CaptchaOptions
{
    /// <summary>
    /// When true, Wacht's <c>/auth/signin</c> and <c>/auth/signup</c> refuse a request without a valid <c>challenge_token</c>.
    /// Off by default, so apps that call the hooks without Wacht's challenge widget keep working; a token that is sent is
    /// checked either way.
    /// </summary>
    public bool Required { get; set; }

    /// <summary>Puzzles per challenge (Cap's <c>c</c>).</summary>
    public int ChallengeCount { get; set; } = 50;

    /// <summary>Hex digits each solution's SHA-256 must start with (Cap's <c>d</c>): each one makes a puzzle 16 times harder.</summary>
    public int Difficulty { get; set; } = 4;

    /// <summary>Hex characters of each puzzle's salt (Cap's <c>s</c>).</summary>
    public int SaltLength { get; set; } = 32;

    /// <summary>How long a challenge can be redeemed.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a pass (the redeemed token) works.</summary>
    public TimeSpan PassLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Form submissions one pass allows. Wacht's sign-in form solves once and sends the same token with the identify step,
    /// the password and every retry of it, so a pass good for one request would lock out a user who mistypes a password.
    /// </summary>
    public int UsesPerPass { get; set; } = 5;
}

/// <summary>A challenge as the Cap widget reads it: puzzles derived from the token, and when it stops being redeemable.</summary>
public sealed record CaptchaChallenge(string Token, int Count, int SaltLength, int Difficulty, DateTimeOffset ExpiresAt);

/// <summary>A redeemed challenge: the pass the forms send as <c>challenge_token</c>.</summary>
public sealed record CaptchaPass(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// The proof-of-work check of Cap (the open-source widget Wacht's forms load): a challenge names <c>c</c> puzzles, each a
/// salt and a target derived from the challenge token; a solution is a number whose SHA-256 (of the salt followed by the
/// number, in hex) starts with the target. Challenges and passes are encrypted and authenticated with the shared Data
/// Protection key ring (any replica can check one, nothing is kept in memory) and carry their expiry; what limits their use
/// is the database: a challenge is redeemed once, a pass works <see cref="CaptchaOptions.UsesPerPass"/> times
/// (<see cref="SpentToken"/>).
/// </summary>
public sealed class CaptchaPasses(TenantryDbContext db, IDataProtectionProvider protection, IOptions<CaptchaOptions> options, TimeProvider clock)
{
    private const string ChallengeKind = "c";
    private const string PassKind = "p";
    private readonly IDataProtector _protector = protection.CreateProtector("Tenantry.Captcha.v1");

    public CaptchaOptions Settings => options.Value;

    public CaptchaChallenge NewChallenge()
    {
        var settings = Settings;
        var expiresAt = clock.GetUtcNow() + settings.ChallengeLifetime;
        var token = Protect(ChallengeKind, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), expiresAt,
            $"{settings.ChallengeCount}.{settings.SaltLength}.{settings.Difficulty}");
        return new CaptchaChallenge(token, settings.ChallengeCount, settings.SaltLength, settings.Difficulty, expiresAt);
    }

    /// <summary>A pass for a challenge's solutions (one number per puzzle, in order); each challenge is redeemed once.</summary>
    public async Task<Result<CaptchaPass>> RedeemAsync(string? challengeToken, IReadOnlyList<long>? solutions, CancellationToken cancellationToken)
    {
        if (Read(challengeToken, ChallengeKind) is not { } challenge || solutions is null)
        {
            return new CaptchaInvalid();
        }
        var parameters = challenge.Extra.Split('.');
        if (parameters.Length != 3
            || !int.TryParse(parameters[0], CultureInfo.InvariantCulture, out var count)
            || !int.TryParse(parameters[1], CultureInfo.InvariantCulture, out var saltLength)
            || !int.TryParse(parameters[2], CultureInfo.InvariantCulture, out var difficulty)
            || solutions.Count != count
            || !Solves(challengeToken!, saltLength, difficulty, solutions))
        {
            return new CaptchaInvalid();
        }
        if (!await SpendAsync(ChallengeKind + challenge.Id, challenge.ExpiresAt, maxUses: 1, cancellationToken))
        {
            return new CaptchaInvalid();
        }
        var expiresAt = clock.GetUtcNow() + Settings.PassLifetime;
        return new CaptchaPass(Protect(PassKind, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), expiresAt, ""), expiresAt);
    }

    /// <summary>
    /// Counts one use of a form's pass. No pass: fine unless <see cref="CaptchaOptions.Required"/>; a pass that is forged,
    /// expired or used up: <see cref="CaptchaInvalid"/>, required or not.
    /// </summary>
    public async Task<Result> UseAsync(string? passToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(passToken))
        {
            if (Settings.Required)
            {
                return new CaptchaInvalid();
            }
            return Result.Success;
        }
        if (Read(passToken, PassKind) is not { } pass
            || !await SpendAsync(PassKind + pass.Id, pass.ExpiresAt, Math.Max(1, Settings.UsesPerPass), cancellationToken))
        {
            return new CaptchaInvalid();
        }
        return Result.Success;
    }

    /// <summary>The puzzles of a challenge, as Cap derives them: salt and target from a seeded generator, for i = 1..count.</summary>
    public static (string Salt, string Target) Puzzle(string challengeToken, int index, int saltLength, int difficulty) =>
        (CapPrng.Hex(challengeToken + index.ToString(CultureInfo.InvariantCulture), saltLength),
         CapPrng.Hex(challengeToken + index.ToString(CultureInfo.InvariantCulture) + "d", difficulty));

    public static bool IsSolution(string salt, string target, long nonce)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(salt + nonce.ToString(CultureInfo.InvariantCulture)));
        return Convert.ToHexStringLower(hash).StartsWith(target, StringComparison.Ordinal);
    }

    private static bool Solves(string token, int saltLength, int difficulty, IReadOnlyList<long> solutions)
    {
        for (var i = 0; i < solutions.Count; i++)
        {
            var (salt, target) = Puzzle(token, i + 1, saltLength, difficulty);
            if (solutions[i] < 0 || !IsSolution(salt, target, solutions[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Counts a use of a token id; false when it has had <paramref name="maxUses"/> already.</summary>
    private async Task<bool> SpendAsync(string id, DateTimeOffset expiresAt, int maxUses, CancellationToken cancellationToken)
    {
        if (await CountUseAsync(id, maxUses, cancellationToken))
        {
            return true;
        }
        var first = SpentToken.FirstUse(id, expiresAt);
        db.SpentTokens.Add(first);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.SpentToken))
        {
            // Used meanwhile by a concurrent request: count this use against that row.
            db.Entry(first).State = EntityState.Detached;
            return await CountUseAsync(id, maxUses, cancellationToken);
        }
    }

    private async Task<bool> CountUseAsync(string id, int maxUses, CancellationToken cancellationToken) =>
        await db.SpentTokens.Where(t => t.Id == id && t.Uses < maxUses)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.Uses, x => x.Uses + 1), cancellationToken) == 1;

    private string Protect(string kind, string id, DateTimeOffset expiresAt, string extra) =>
        _protector.Protect(string.Join('|', kind, id, expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), extra));

    private Token? Read(string? token, string kind)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return null;
        }
        string plain;
        try
        {
            plain = _protector.Unprotect(token);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
        var parts = plain.Split('|');
        if (parts.Length != 4 || parts[0] != kind || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var expiresMs))
        {
            return null;
        }
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresMs);
        return expiresAt > clock.GetUtcNow() ? new Token(parts[1], expiresAt, parts[3]) : null;
    }

    private sealed record Token(string Id, DateTimeOffset ExpiresAt, string Extra);
}

/// <summary>
/// Cap's seeded generator (an FNV-1a hash of the seed as the state of a 32-bit xorshift), which turns a challenge token into
/// its puzzles the same way on the server and in the browser's widget.
/// </summary>
public static class CapPrng
{
    public static string Hex(string seed, int length)
    {
        var state = Fnv1a(seed);
        var result = new StringBuilder(length + 8);
        while (result.Length < length)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            result.Append(state.ToString("x8", CultureInfo.InvariantCulture));
        }
        return result.ToString(0, length);
    }

    private static uint Fnv1a(string seed)
    {
        var hash = 2166136261u;
        foreach (var c in seed)
        {
            hash ^= c;
            hash += (hash << 1) + (hash << 4) + (hash << 7) + (hash << 8) + (hash << 24);
        }
        return hash;
    }
}
