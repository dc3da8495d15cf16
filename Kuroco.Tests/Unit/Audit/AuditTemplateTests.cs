using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Core.Audit;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Audit;

/// <summary>Every action reads in English and Japanese: its summary:{code} template exists in both, with the same placeholders.</summary>
public sealed partial class AuditTemplateTests
{
    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Kuroco.Admin", "Resources", file))
            .Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    [Fact]
    public void Every_action_has_a_summary_template_in_english_and_japanese()
    {
        var english = Load("AuditResource.resx");
        var japanese = Load("AuditResource.ja.resx");
        var missing = AuditActions.All
            .Where(a => !english.ContainsKey(AuditRenderer.SummaryPrefix + a) || !japanese.ContainsKey(AuditRenderer.SummaryPrefix + a))
            .ToList();
        Assert.True(missing.Count == 0, "Actions without a summary:{code} template in AuditResource (en + ja): " + string.Join(", ", missing));
    }

    [Fact]
    public void English_and_japanese_templates_name_the_same_placeholders()
    {
        var english = Load("AuditResource.resx");
        var japanese = Load("AuditResource.ja.resx");
        var templates = english.Where(kv => kv.Key.StartsWith(AuditRenderer.SummaryPrefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(templates);
        foreach (var (key, text) in templates)
        {
            var action = key[AuditRenderer.SummaryPrefix.Length..].Split(':')[0];
            Assert.Contains(action, AuditActions.All);
            Assert.Equal(
                AuditRenderer.Placeholders(text).Order(StringComparer.Ordinal),
                AuditRenderer.Placeholders(japanese[key]).Order(StringComparer.Ordinal));
        }
    }

    /// <summary>Resource names are compared ignoring case when the resx is compiled: two that differ only in case collide (one is dropped).</summary>
    [Theory]
    [InlineData("AuditResource.resx")]
    [InlineData("AuditResource.ja.resx")]
    public void Resource_names_do_not_differ_only_in_case(string file)
    {
        var names = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Kuroco.Admin", "Resources", file))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!);
        var clashes = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ToList();
        Assert.True(clashes.Count == 0, "Names that differ only in case: " + string.Join(", ", clashes));
    }

    [Fact]
    public void Every_entity_type_has_a_name_in_english_and_japanese()
    {
        var english = Load("AuditResource.resx");
        var japanese = Load("AuditResource.ja.resx");
        var missing = AuditEntityTypes.All
            .Where(t => !english.ContainsKey("entity:" + t) || !japanese.ContainsKey("entity:" + t))
            .ToList();
        Assert.True(missing.Count == 0, "Entity types without an entity:{code} name in AuditResource (en + ja): " + string.Join(", ", missing));
        Assert.Equal("スタッフアカウント", Render("ja", r => r.EntityTypeName(AuditEntityTypes.Staff)));
        Assert.Equal("Content item", Render("en", r => r.EntityTypeName(AuditEntityTypes.ContentItem)));
    }

    /// <summary>
    /// Every entity type a writer passes to <c>new AuditRecord(action, entityType, ...)</c> in the source is one of
    /// <see cref="AuditEntityTypes"/> (so it has a name in both languages): a literal, an <c>AuditEntityTypes</c> constant, a
    /// <c>nameof</c>, or a member whose declarations (<c>EntityType = "..."</c>) are checked the same way.
    /// </summary>
    [Fact]
    public void Every_entity_type_written_in_the_source_is_a_known_entity_type()
    {
        var known = AuditEntityTypes.All.ToHashSet(StringComparer.Ordinal);
        var sources = new[] { "Kuroco.Infrastructure", "Kuroco.Admin" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, project), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => f, File.ReadAllText);
        var problems = new List<string>();
        var writers = 0;
        foreach (var (file, text) in sources)
        {
            foreach (Match call in AuditRecordCall().Matches(text))
            {
                writers++;
                var argument = call.Groups["entity"].Value.Trim();
                var where = $"{Path.GetFileName(file)}: {argument}";
                if (Resolve(argument) is { } value)
                {
                    if (!known.Contains(value))
                    {
                        problems.Add($"{where} = \"{value}\" is not in AuditEntityTypes");
                    }
                    continue;
                }
                // A member (EntityType, MemberAudit.EntityType, accounts.AuditEntityType): each of its declarations must resolve.
                var member = argument[(argument.LastIndexOf('.') + 1)..];
                var declarations = sources.Values.SelectMany(t => Declaration(member).Matches(t)).Select(m => Resolve(m.Groups["value"].Value.Trim())).ToList();
                if (declarations.Count == 0 && !text.Contains("AuditEntityTypes.", StringComparison.Ordinal))
                {
                    problems.Add($"{where}: cannot tell which entity type this is; use an AuditEntityTypes constant");
                }
                problems.AddRange(declarations.Where(d => d is null || !known.Contains(d)).Select(d => $"{where}: declared as \"{d}\", not in AuditEntityTypes"));
            }
        }
        Assert.True(writers > 50, $"Only {writers} audit writers found: the scan is broken.");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The field names content, media and webhook writers put in an entry's changes have a label in both languages.</summary>
    [Theory]
    [InlineData("Name", "ApiId", "Description", "Fields", "Field rules", "Approval", "Delivery", "Members only", "slug", "Status", "ReviewState", "Comment",
        "PublishAtUtc", "UnpublishAtUtc")]
    [InlineData("AltTextJa", "AltTextEn", "TitleJa", "TitleEn", "OriginalFileName", "ContentType", "SizeBytes", "DeletedAtUtc")]
    [InlineData("Name", "TargetUrl", "ContentType", "Events", "Enabled", "Secret", "AllowedHosts")]
    public void Changed_fields_have_a_label_in_english_and_japanese(params string[] fields)
    {
        var english = Load("AuditResource.resx");
        var japanese = Load("AuditResource.ja.resx");
        var missing = fields.Where(f => !english.ContainsKey("field:" + f) || !japanese.ContainsKey("field:" + f)).ToList();
        Assert.True(missing.Count == 0, "Fields without a field:{name} label (en + ja): " + string.Join(", ", missing));
    }

    private static string? Resolve(string argument)
    {
        if (argument.Length >= 2 && argument[0] == '"' && argument[^1] == '"')
        {
            return argument[1..^1];
        }
        if (argument.StartsWith("nameof(", StringComparison.Ordinal) && argument.EndsWith(')'))
        {
            return argument[7..^1].Split('.')[^1];
        }
        if (argument.StartsWith("AuditEntityTypes.", StringComparison.Ordinal))
        {
            return typeof(AuditEntityTypes).GetField(argument["AuditEntityTypes.".Length..])?.GetRawConstantValue() as string ?? "";
        }
        return null;
    }

    private static string Render(string culture, Func<AuditRenderer, string> render)
    {
        using var scope = new CultureScope(culture);
        return render(AuditText.Renderer());
    }

    private static Regex Declaration(string member) =>
        new($@"\b{Regex.Escape(member)}\s*(?:=>|=)\s*(?<value>""[^""]*""|AuditEntityTypes\.\w+)", RegexOptions.CultureInvariant);

    /// <summary>The second argument of <c>new AuditRecord(</c> (the first one never holds a comma).</summary>
    [GeneratedRegex(@"new AuditRecord\(\s*[^,()]+,\s*(?<entity>[^,]+?)\s*,")]
    private static partial Regex AuditRecordCall();
}
