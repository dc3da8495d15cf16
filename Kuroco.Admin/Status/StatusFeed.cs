using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Kuroco.Core.Incidents;
using Kuroco.Core.Sla;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Status;

/// <summary>
/// <c>GET /status/feed.atom[?culture=ja-JP]</c>: the status page's incidents (open and of the history period) and
/// scheduled maintenance as an Atom 1.0 feed in the asked culture (else the request's), with the same public data as
/// the page and cached the same way. One entry per incident, updated whenever a step or a public note is added, so
/// feed readers show it again.
/// </summary>
public static class StatusFeed
{
    public const string Path = "/status/feed.atom";

    public static IEndpointRouteBuilder MapStatusFeed(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, WriteFeedAsync).AllowAnonymous().CacheOutput(StatusOutputCachePolicy.Name)
            .WithName("StatusFeed").ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task WriteFeedAsync(HttpContext context, StatusSnapshotBuilder builder, IStringLocalizer<StatusResource> localizer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(builder);
        var culture = StatusCulture.Of(context);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        var snapshot = await builder.BuildAsync(context.RequestAborted);
        var origin = new Uri($"{context.Request.Scheme}://{context.Request.Host}/");
        var feed = Build(snapshot, localizer, culture, origin);
        context.Response.ContentType = "application/atom+xml; charset=utf-8";
        var buffer = new MemoryStream();
        await using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = true, Indent = false }))
        {
            new Atom10FeedFormatter(feed).WriteTo(writer);
            await writer.FlushAsync();
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    internal static SyndicationFeed Build(StatusSnapshot snapshot, IStringLocalizer<StatusResource> L, CultureInfo culture, Uri origin)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(L);
        var page = new Uri(origin, "status");
        var items = new List<SyndicationItem>();
        foreach (var incident in snapshot.OpenIncidents.Concat(snapshot.History))
        {
            var updated = incident.StepsReachedAtUtc.Values.Concat(incident.Notes.Select(n => n.AtUtc)).DefaultIfEmpty(incident.DetectedAtUtc).Max();
            var text = new StringBuilder();
            text.AppendLine(L["Step." + incident.Step]);
            if (incident.Components.Count > 0)
            {
                text.AppendLine(string.Join(", ", incident.Components.Select(c => IncidentMessages.ComponentNameIn(culture, c))));
            }
            if (!string.IsNullOrWhiteSpace(incident.Summary))
            {
                text.AppendLine().AppendLine(incident.Summary);
            }
            text.AppendLine();
            foreach (var (step, at) in incident.StepsReachedAtUtc.OrderBy(s => s.Key))
            {
                text.Append(Format(snapshot, at)).Append(' ').AppendLine(L["Step." + step]);
            }
            foreach (var note in incident.Notes)
            {
                text.AppendLine().Append(Format(snapshot, note.AtUtc)).Append(note.IsProgressReport ? " " + L["Progress report"] : "").AppendLine()
                    .AppendLine(note.Text);
            }
            var item = new SyndicationItem(
                string.Format(culture, "{0} — {1}", incident.TitleIn(culture), L["Step." + incident.Step]),
                new TextSyndicationContent(text.ToString().TrimEnd()),
                page,
                "urn:uuid:" + incident.Id.ToString("D", CultureInfo.InvariantCulture),
                new DateTimeOffset(DateTime.SpecifyKind(updated, DateTimeKind.Utc)))
            {
                PublishDate = new DateTimeOffset(DateTime.SpecifyKind(incident.DetectedAtUtc, DateTimeKind.Utc)),
            };
            item.Categories.Add(new SyndicationCategory("incident"));
            items.Add(item);
        }
        foreach (var window in snapshot.MaintenanceInProgress.Concat(snapshot.MaintenanceUpcoming))
        {
            var text = new StringBuilder()
                .Append(L["Scheduled maintenance"]).Append(": ").Append(Format(snapshot, window.StartUtc)).Append(" – ").AppendLine(Format(snapshot, window.EndUtc))
                .AppendLine(window.ComponentList.Count == 0 ? L["All components"] : string.Join(", ", window.ComponentList.Select(c => IncidentMessages.ComponentNameIn(culture, c))));
            if (!string.IsNullOrWhiteSpace(window.DescriptionIn(culture)))
            {
                text.AppendLine().AppendLine(window.DescriptionIn(culture));
            }
            var item = new SyndicationItem(
                string.Format(culture, "{0}: {1}", L["Scheduled maintenance"], window.TitleIn(culture)),
                new TextSyndicationContent(text.ToString().TrimEnd()),
                page,
                "urn:uuid:" + window.Id.ToString("D", CultureInfo.InvariantCulture),
                new DateTimeOffset(DateTime.SpecifyKind(window.CreatedAtUtc, DateTimeKind.Utc)))
            {
                PublishDate = new DateTimeOffset(DateTime.SpecifyKind(window.CreatedAtUtc, DateTimeKind.Utc)),
            };
            item.Categories.Add(new SyndicationCategory("maintenance"));
            items.Add(item);
        }
        var feedUpdated = items.Select(i => i.LastUpdatedTime).DefaultIfEmpty(new DateTimeOffset(DateTime.SpecifyKind(snapshot.GeneratedAtUtc, DateTimeKind.Utc))).Max();
        var feed = new SyndicationFeed(L["Kuroco service status"], L["Incidents and scheduled maintenance of the Kuroco service."], page,
            new Uri(origin, Path.TrimStart('/') + "?culture=" + Uri.EscapeDataString(culture.Name)).ToString(), feedUpdated, items.OrderByDescending(i => i.LastUpdatedTime))
        {
            Language = culture.Name,
        };
        feed.Authors.Add(new SyndicationPerson { Name = L["Kuroco service status"] });
        feed.Links.Add(new SyndicationLink(new Uri(origin, Path.TrimStart('/') + "?culture=" + Uri.EscapeDataString(culture.Name)), "self", null, "application/atom+xml", 0));
        return feed;
    }

    private static string Format(StatusSnapshot snapshot, DateTime utc) =>
        snapshot.Local(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (" + snapshot.Zone.Id + ")";
}
