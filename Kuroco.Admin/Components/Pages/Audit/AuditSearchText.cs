using System.Globalization;
using Kuroco.Core.Audit;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Components.Pages.Audit;

/// <summary>
/// The free-text index's view of a language-neutral entry: its summary rendered in English and in Japanese (times in the
/// company's default zone), so words of the summary an officer reads ("changed their password", "パスワードを変更") find it,
/// as they found the English summaries stored before entries became language-neutral.
/// </summary>
internal sealed class AuditSearchText(IStringLocalizer<AuditResource> localizer) : IAuditSearchText
{
    private static readonly CultureInfo[] Languages = [CultureInfo.GetCultureInfo("en"), CultureInfo.GetCultureInfo("ja-JP")];
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public string? For(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.FormatVersion < AuditEntry.ParametersFormat)
        {
            return null;
        }
        var renderer = new AuditRenderer(localizer, Zone);
        var original = CultureInfo.CurrentUICulture;
        try
        {
            return string.Join('\n', Languages.Select(language =>
            {
                CultureInfo.CurrentUICulture = language;
                return renderer.Summary(entry) + " " + renderer.EntityTypeName(entry.EntityType);
            }));
        }
        finally
        {
            CultureInfo.CurrentUICulture = original;
        }
    }
}
