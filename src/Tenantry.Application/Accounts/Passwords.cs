using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Accounts;

/// <summary>
/// Password hashing with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, per-password
/// salt, <see cref="AuthOptions.PasswordHashIterations"/> iterations, 100,000 by default; older
/// formats and lower counts are upgraded on sign-in).
/// </summary>
public sealed class Passwords
{
    private readonly PasswordHasher<UserAccount> _hasher;

    // Verified against when the email is unknown, so that both answers take the same time.
    private readonly string _decoyHash;

    public Passwords(IOptions<AuthOptions> options)
    {
        _hasher = new(Options.Create(new PasswordHasherOptions { IterationCount = options.Value.PasswordHashIterations }));
        _decoyHash = _hasher.HashPassword(null!, Guid.NewGuid().ToString());
    }

    public string Hash(string password) => _hasher.HashPassword(null!, password);

    public PasswordCheck Verify(UserAccount? user, string password)
    {
        if (user is null)
        {
            _hasher.VerifyHashedPassword(null!, _decoyHash, password);
            return PasswordCheck.Wrong;
        }
        return _hasher.VerifyHashedPassword(user, user.PasswordHash, password) switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Correct,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.CorrectButOutdated,
            _ => PasswordCheck.Wrong,
        };
    }
}

public enum PasswordCheck
{
    Wrong,
    Correct,
    CorrectButOutdated,
}
