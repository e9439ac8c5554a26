using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Dialects.WachtApi;
using Tenantry.Server.Localization;

namespace Tenantry.UnitTests.Server;

/// <summary>
/// The catalogue: every language has every message, every message the code asks for exists, and a few
/// known texts read exactly as written in every language.
/// </summary>
public sealed class MessageCatalogTests
{
    private static readonly ResourceManager s_resources = new("Tenantry.Server.Localization.Messages", typeof(Messages).Assembly);

    private static Dictionary<string, string> Entries(string culture) =>
        s_resources.GetResourceSet(culture == "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    [Theory]
    [InlineData("zh")]
    [InlineData("zh-Hant")]
    [InlineData("ja")]
    [InlineData("vi")]
    public void Every_language_has_every_key_and_its_placeholders(string culture)
    {
        var english = Entries("en");
        var translated = Entries(culture);
        Assert.Equal(english.Keys.Order(), translated.Keys.Order());
        foreach (var (key, text) in english)
        {
            foreach (var placeholder in System.Text.RegularExpressions.Regex.Matches(text, @"\{\w+\}").Select(m => m.Value))
            {
                Assert.Contains(placeholder, translated[key], StringComparison.Ordinal);
            }
        }
        // Translations, not copies: most messages differ from English.
        var same = english.Count(e => e.Value.Length > 0 && translated[e.Key] == e.Value);
        Assert.True(same < english.Count / 5, $"{same} of {english.Count} {culture} messages are identical to English");
    }

    /// <summary>
    /// Independent expectations: the texts are written here, not read from the catalogue, and each is
    /// checked in the translators' source file, in the compiled catalogue and through the localizer the
    /// server uses. A regenerated .resx with shifted keys, another language's file, mangled encoding or
    /// a lookup that falls back to English would not match. The English error is CONTRACT 3's wording.
    /// </summary>
    [Theory]
    [InlineData("en", "Error.InvalidToken", "Invalid or expired token")]
    [InlineData("zh", "Error.InvalidToken", "令牌无效或已过期")]
    [InlineData("zh-Hant", "Error.InvalidToken", "權杖無效或已過期")]
    [InlineData("ja", "Error.InvalidToken", "トークンが無効か、有効期限が切れています")]
    [InlineData("vi", "Error.InvalidToken", "Mã thông báo không hợp lệ hoặc đã hết hạn")]
    [InlineData("en", "Enum.WorkspaceKind.LIVE.Label", "Live")]
    [InlineData("zh", "Enum.WorkspaceKind.LIVE.Label", "正式")]
    [InlineData("zh-Hant", "Enum.WorkspaceKind.LIVE.Label", "正式")]
    [InlineData("ja", "Enum.WorkspaceKind.LIVE.Label", "本番")]
    [InlineData("vi", "Enum.WorkspaceKind.LIVE.Label", "Chính thức")]
    public void Known_texts_read_as_written_in_every_language(string culture, string key, string expected)
    {
        Assert.Equal(expected, SourceFile(culture)[key]);
        Assert.Equal(expected, Entries(culture)[key]);
        var localizer = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance)
            .Create(typeof(Messages));
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture == "en" ? "en" : culture);
            Assert.Equal(expected, localizer[key].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    /// <summary>The translators' JSON files of one language (src/Tenantry.Server/Localization/catalog/&lt;language&gt;/*.json).</summary>
    private static Dictionary<string, string> SourceFile(string culture)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tenantry.slnx")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var folder = Directory.GetDirectories(directory.FullName, "catalog", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
            .Single(d => Directory.Exists(Path.Combine(d, "en")) && !d.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return Directory.GetFiles(Path.Combine(folder, culture), "*.json")
            .SelectMany(file => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file))!)
            .ToDictionary();
    }

    [Fact]
    public void Every_validation_code_has_a_message()
    {
        var english = Entries("en");
        var codes = typeof(ValidationCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)
            .Concat(["InvalidBody", "BodyRequired", "InvalidQuery"]);
        Assert.All(codes, code => Assert.True(english.ContainsKey("Validation." + code), $"Validation.{code} is missing"));
    }

    [Fact]
    public void Every_enum_member_has_a_label_and_a_description()
    {
        var english = Entries("en");
        foreach (var definition in EnvelopeEnums.Catalog)
        {
            foreach (var (code, _) in definition.Members)
            {
                Assert.True(english.ContainsKey($"Enum.{definition.ResourceName}.{code}.Label"), $"{definition.WireName}.{code} label");
                Assert.True(english.ContainsKey($"Enum.{definition.ResourceName}.{code}.Description"), $"{definition.WireName}.{code} description");
            }
        }
    }

    [Fact]
    public void Every_domain_error_maps_to_a_documented_envelope_answer_with_a_message()
    {
        var english = Entries("en");
        var errorTypes = typeof(DomainError).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DomainError)) && !t.IsAbstract);
        foreach (var type in errorTypes)
        {
            var instance = Instantiate(type);
            var answer = EnvelopeErrors.Describe(instance);
            Assert.True(answer.Status < 500, $"{type.Name} falls through to a 500");
            Assert.True(english.ContainsKey(answer.MessageKey), $"{answer.MessageKey} has no message");
        }
    }

    [Fact]
    public void Every_domain_error_maps_to_a_wacht_answer_with_a_message()
    {
        var english = Entries("en");
        var errorTypes = typeof(DomainError).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DomainError)) && !t.IsAbstract);
        foreach (var type in errorTypes)
        {
            var answer = WachtErrors.Describe(Instantiate(type));
            Assert.True(answer.Status is >= 400 and < 500, $"{type.Name} falls through to a {answer.Status}");
            Assert.True(english.ContainsKey(answer.MessageKey), $"{answer.MessageKey} has no message");
        }
    }

    [Fact]
    public void Every_domain_error_has_a_console_message_and_a_refusal_status()
    {
        var localizer = new StringLocalizer<Messages>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
        var text = new Tenantry.Server.WebConsole.ConsoleText(localizer);
        var internalError = Entries("en")["Error.Internal"];
        var errorTypes = typeof(DomainError).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DomainError)) && !t.IsAbstract);
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            foreach (var type in errorTypes)
            {
                var error = Instantiate(type);
                var message = text.Error(error);
                Assert.False(string.IsNullOrEmpty(message) || message == internalError, $"{type.Name} has no console message");
                Assert.InRange(Tenantry.Server.WebConsole.ConsoleText.Status(error), 400, 499);
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Theory]
    [InlineData("NotAMember", 400)]
    [InlineData("NotAnInstitutionMember", 400)]
    [InlineData("NotDefaultEligible", 400)]
    [InlineData("LastOwner", 403)]
    [InlineData("SoleInstitutionOwner", 403)]
    [InlineData("MemberRoleRequired", 409)]
    [InlineData("InvalidToken", 401)]
    [InlineData("NotFound", 404)]
    [InlineData("PasswordResetInvalid", 400)]
    [InlineData("CaptchaInvalid", 400)]
    public void Wacht_answers_the_session_and_leave_failures_as_its_clients_expect(string error, int status)
    {
        var type = typeof(DomainError).Assembly.GetTypes().Single(t => t.Name == error && t.IsSubclassOf(typeof(DomainError)));
        Assert.Equal(status, WachtErrors.Describe(Instantiate(type)).Status);
    }

    [Theory]
    [InlineData("$", "$")]
    [InlineData("$.WorkspaceName", "$.workspaceName")]
    [InlineData("$.PolicyConfig.IpAllowlist[1]", "$.policyConfig.ipAllowlist[1]")]
    public void Field_paths_use_the_wire_casing(string path, string wire) => Assert.Equal(wire, EnvelopeErrors.WireField(path));

    [Theory]
    [InlineData("", "$")]
    [InlineData("WorkspaceName", "$.WorkspaceName")]
    [InlineData("PolicyConfig.Value.IpAllowlist[0]", "$.PolicyConfig.IpAllowlist[0]")]
    [InlineData("Segments.Value[2]", "$.Segments[2]")]
    [InlineData("ValueAdded", "$.ValueAdded")]
    public void Validation_paths_drop_the_partial_update_wrapper(string property, string path) =>
        Assert.Equal(path, ValidationRules.FieldPath(property));

    private static DomainError Instantiate(Type type)
    {
        var constructor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(string) => (object)"x",
            var t when t == typeof(int) => 1,
            var t when t == typeof(TimeSpan) => TimeSpan.FromSeconds(1),
            var t when t == typeof(FieldError) => new FieldError("$", "Required"),
            var t when t == typeof(IReadOnlyList<FieldError>) => new List<FieldError> { new("$", "Required") },
            var t when t.IsEnum => Enum.GetValues(t).GetValue(1)!,
            var t => throw new InvalidOperationException($"No sample for {t}"),
        }).ToArray();
        return (DomainError)constructor.Invoke(arguments);
    }
}
