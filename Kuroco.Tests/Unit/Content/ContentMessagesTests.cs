using System.Xml.Linq;
using Kuroco.Core.Content;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Content;

public sealed class ContentMessagesTests
{
    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Kuroco.Core", "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    [Fact]
    public void English_and_Japanese_content_messages_have_the_same_keys_and_no_empty_values()
    {
        var english = Load("ContentMessages.resx");
        var japanese = Load("ContentMessages.ja.resx");
        Assert.Empty(english.Keys.Except(japanese.Keys));
        Assert.Empty(japanese.Keys.Except(english.Keys));
        Assert.DoesNotContain(english.Concat(japanese), kv => string.IsNullOrWhiteSpace(kv.Value));
    }

    [Fact]
    public void Every_field_kind_has_a_name_in_both_languages()
    {
        foreach (var kind in Enum.GetValues<FieldKind>())
        {
            using (new CultureScope("en"))
            {
                Assert.NotEqual("Content.Kind." + kind, ContentMessages.Get("Content.Kind." + kind));
            }
            using (new CultureScope("ja-JP"))
            {
                Assert.NotEqual("Content.Kind." + kind, ContentMessages.Get("Content.Kind." + kind));
            }
        }
    }
}
