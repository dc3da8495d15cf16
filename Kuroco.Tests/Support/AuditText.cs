using Kuroco.Admin;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Kuroco.Tests.Support;

/// <summary>
/// The summary a person reads, rendered by the app's own renderer (entries are stored language-neutral): tests assert on
/// what an officer sees, in English unless asked otherwise, with times in Asia/Tokyo.
/// </summary>
internal static class AuditText
{
    private static readonly Lazy<IStringLocalizer<AuditResource>> Localizer = new(() =>
        new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<AuditResource>>());

    public static AuditRenderer Renderer() => new(Localizer.Value, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));

    public static string English(AuditEntry entry) => In("en", () => Renderer().Summary(entry));

    public static string Japanese(AuditEntry entry) => In("ja", () => Renderer().Summary(entry));

    /// <summary>A record as it would read once written (the actor named by the record, else "system").</summary>
    public static string English(AuditRecord record) => In("en", () => record.Parameters is null
        ? record.Summary
        : Renderer().Summary(record.Action, (record.Actor ?? AuditActor.System).Name, record.EntityType, record.EntityId, record.Parameters));

    private static string In(string culture, Func<string> render)
    {
        using var scope = new CultureScope(culture);
        return render();
    }
}
