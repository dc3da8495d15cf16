using System.Globalization;
using System.Xml.Linq;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Audit;

/// <summary>A security officer reads the log by action name, in English or Japanese, never by raw code.</summary>
public sealed class AuditDisplayTests
{
    private static Dictionary<string, string> Japanese() =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Kuroco.Admin", "Resources", "AuditResource.ja.resx"))
            .Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    [Fact]
    public void Every_action_has_a_name_and_a_japanese_translation()
    {
        var japanese = Japanese();
        var missing = AuditDisplay.Actions
            .Where(code => AuditDisplay.ActionName(code) == code || !japanese.ContainsKey(AuditDisplay.ActionName(code)))
            .ToList();
        Assert.True(missing.Count == 0, "Actions without a display name or Japanese text: " + string.Join(", ", missing));
    }

    [Fact]
    public void Names_are_unique_so_the_filter_tells_actions_apart()
    {
        var names = AuditDisplay.Actions.Select(AuditDisplay.ActionName).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("API key revoked", names);
        Assert.Equal("APIキーの失効", Japanese()["API key revoked"].ToString(CultureInfo.InvariantCulture));
    }
}
