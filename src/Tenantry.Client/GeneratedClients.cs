using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tenantry.Client.Api
{
    public partial class TenantryApi
    {
        // Error answers keep their body, so that TenantryApiException can read the envelope's code and message.
        partial void Initialize() => ReadResponseAsString = true;

        // Fields left null are not sent: a PATCH changes only what it names (null on the wire would clear).
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
            settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }
}

namespace Tenantry.Client.Api.Operator
{
    public partial class TenantryAdminApi
    {
        partial void Initialize() => ReadResponseAsString = true;

        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
            settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }
}
