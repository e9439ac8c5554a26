using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Tenantry.Data.Security;

/// <summary>
/// ASP.NET Core Data Protection with its key ring in the database (table <c>data_protection_keys</c>),
/// shared by the server's replicas and by the <c>tenantry</c> CLI, which reads the signing keys it protects.
/// </summary>
public static class TenantryDataProtection
{
    /// <summary>Fixed, so that replicas installed in different folders (and the CLI) share one key ring.</summary>
    public const string ApplicationName = "tenantry";

    public static IDataProtectionBuilder AddTenantryDataProtection(this IServiceCollection services, string? certificatePath, string? certificatePassword)
    {
        var builder = services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<TenantryDbContext>();
        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, certificatePassword);
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        return builder;
    }
}
