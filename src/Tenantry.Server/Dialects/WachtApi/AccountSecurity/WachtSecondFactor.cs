using Tenantry.Application.Accounts.Mfa;

namespace Tenantry.Server.Dialects.WachtApi.AccountSecurity;

/// <summary>
/// Wacht's forms have one field for a second factor, whichever the user picked: six digits are the authenticator app's code,
/// anything else is tried as a backup code (Tenantry's are 16 letters and digits in groups of four).
/// </summary>
public static class WachtSecondFactor
{
    public static MfaProof Proof(string? code)
    {
        var digits = code?.Replace(" ", "", StringComparison.Ordinal);
        return digits is { Length: 6 } && digits.All(char.IsAsciiDigit) ? new MfaProof(digits, null) : new MfaProof(null, code);
    }
}
