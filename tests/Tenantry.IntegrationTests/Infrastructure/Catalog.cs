using System.Text.Json;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>The translators' source files (src/Tenantry.Server/Localization/catalog/&lt;language&gt;/*.json), to check answers against.</summary>
public static class Catalog
{
    private static readonly Dictionary<string, Dictionary<string, string>> s_languages = new();

    public static string Text(string language, string key)
    {
        lock (s_languages)
        {
            if (!s_languages.TryGetValue(language, out var entries))
            {
                var folder = Path.Combine(RepositoryRoot(), "src", "Tenantry.Server", "Localization", "catalog", language);
                entries = Directory.GetFiles(folder, "*.json")
                    .SelectMany(file => JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file))!)
                    .ToDictionary();
                s_languages[language] = entries;
            }
            return entries[key];
        }
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tenantry.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Tenantry.slnx not found above the test binaries.");
    }
}
