using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Localization;

/// <summary>Every screen is English and Japanese: each string a page asks for exists in both resx files.</summary>
public sealed partial class ResourceCompletenessTests
{
    private static readonly string AdminRoot = Path.Combine(RepositoryPaths.Root, "Kuroco.Admin");

    public static TheoryData<string> ResourcePairs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AdminRoot, "Resources"), "*.resx").Where(f => !f.EndsWith(".ja.resx", StringComparison.Ordinal)))
        {
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
        }
        data.Add(Path.Combine("Kuroco.Core", "Resources", "CoreMessages.resx"));
        data.Add(Path.Combine("Kuroco.Core", "Resources", "MemberConsoleMessages.resx"));
        return data;
    }

    [Theory]
    [MemberData(nameof(ResourcePairs))]
    public void English_and_Japanese_resources_have_the_same_keys_and_no_empty_values(string englishFile)
    {
        var english = Load(Path.Combine(RepositoryPaths.Root, englishFile));
        var japanese = Load(Path.Combine(RepositoryPaths.Root, englishFile.Replace(".resx", ".ja.resx", StringComparison.Ordinal)));
        Assert.Empty(english.Keys.Except(japanese.Keys));
        Assert.Empty(japanese.Keys.Except(english.Keys));
        Assert.DoesNotContain(japanese, kv => string.IsNullOrWhiteSpace(kv.Value));
        Assert.DoesNotContain(english, kv => string.IsNullOrWhiteSpace(kv.Value));
    }

    [Fact]
    public void Every_literal_key_used_in_a_component_is_translated()
    {
        var missing = new List<string>();
        var files = Directory.GetFiles(Path.Combine(AdminRoot, "Components"), "*.razor", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match inject in InjectPattern().Matches(text))
            {
                var resource = inject.Groups["type"].Value;
                var variable = inject.Groups["name"].Value;
                var japanese = Load(Path.Combine(AdminRoot, "Resources", resource + ".ja.resx"));
                // A literal followed by "+" is a prefix (L["Setting." + name]), not a key.
                var keyPattern = new Regex(Regex.Escape(variable) + @"\[""(?<key>(?:[^""\\]|\\.)+)""(?!\s*\+)");
                foreach (Match use in keyPattern.Matches(text))
                {
                    var key = use.Groups["key"].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
                    if (!japanese.ContainsKey(key))
                    {
                        missing.Add($"{Path.GetFileName(file)}: {resource}[\"{key}\"]");
                    }
                }
            }
        }
        Assert.True(missing.Count == 0, "Missing Japanese strings:\n" + string.Join("\n", missing));
    }

    private static Dictionary<string, string> Load(string path)
    {
        Assert.True(File.Exists(path), $"Missing resource file {path}");
        return XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
    }

    [GeneratedRegex(@"@inject\s+IStringLocalizer<(?<type>\w+)>\s+(?<name>\w+)")]
    private static partial Regex InjectPattern();
}
