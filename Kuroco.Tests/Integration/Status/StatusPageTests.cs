using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
using Kuroco.Admin.Security;
using Kuroco.Core.Audit;
using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;
using Kuroco.Tests.Integration.Incidents;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Status;

/// <summary>
/// The public status page and its Atom feed through the real pipeline on SQLite: anonymous, cached per culture with the
/// security headers, evicted when an incident changes, in English and Japanese, and never carrying an internal field.
/// </summary>
public sealed class StatusPageTests(StatusPageTests.StatusAppFactory factory) : IClassFixture<StatusPageTests.StatusAppFactory>
{
    public sealed class StatusAppFactory : KurocoAppFactory
    {
        public StatusAppFactory() =>
            TestServices = services =>
            {
                services.AddSingleton(Actor);
                services.AddScoped<IAuditContext>(sp => sp.GetRequiredService<IncidentWorkflowTests.ActingAs>());
            };

        public IncidentWorkflowTests.ActingAs Actor { get; } = new();
    }

    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(HttpClient client, string path, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd(language);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private Task<T> AsOperator<T>(Func<IIncidentService, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IIncidentService>()));

    [Fact]
    public async Task An_incident_opened_by_an_alert_has_its_public_title_in_each_readers_language()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var alert = new AlertRaised(Guid.NewGuid(), Guid.NewGuid(), "Mail provider down", MonitoringSignals.MailUp, AlertSeverity.Critical, 0, 1, DateTimeOffset.UtcNow);
        await factory.WithScopeAsync(async sp =>
        {
            // As the evaluator does: every listener, the incidents' own first (it opens the incident), then the status page's (eviction).
            foreach (var listener in sp.GetServices<IAlertListener>())
            {
                await listener.OnRaisedAsync(alert, CancellationToken.None);
            }
            return 0;
        });
        var incident = Assert.Single(await AsOperator(s => s.ListAsync(open: true)), i => i.AlertId == alert.AlertId);
        Assert.Equal(IncidentMessages.AlertPublicTitleKey, incident.PublicTitle);

        const string English = "Service disruption under investigation";
        const string Japanese = "サービス障害を調査中です";
        var (_, en) = await GetAsync(client, "/status", "en-US,en;q=0.9");
        Assert.Contains($"<h3>{English}</h3>", en, StringComparison.Ordinal);
        Assert.DoesNotContain(Japanese, en, StringComparison.Ordinal);
        var (_, ja) = await GetAsync(client, "/status", "ja-JP,ja;q=0.9");
        Assert.Contains($"<h3>{Japanese}</h3>", ja, StringComparison.Ordinal);
        Assert.DoesNotContain(English, ja, StringComparison.Ordinal);
        var (_, enFeed) = await GetAsync(client, "/status/feed.atom?culture=en", "ja");
        Assert.Contains(English + " — ① ", enFeed, StringComparison.Ordinal);
        Assert.DoesNotContain(Japanese, enFeed, StringComparison.Ordinal);
        var (_, jaFeed) = await GetAsync(client, "/status/feed.atom?culture=ja-JP", "en");
        Assert.Contains(Japanese + " — ① ", jaFeed, StringComparison.Ordinal);
        Assert.DoesNotContain(English, jaFeed, StringComparison.Ordinal);

        // Closed again, so the other tests of this class see no open incident of it.
        Assert.True((await AsOperator(s => s.AdvanceAsync(incident.Id, IncidentStep.Confirmed))).Succeeded);
        var classified = await AsOperator(s => s.ClassifyAsync(incident.Id, new ClassifyIncidentRequest("Mail provider down", "Mail delayed", "", AlertSeverity.Critical,
            IncidentCause.Software, [StatusComponents.Mail], "", null)));
        Assert.True(classified.Succeeded, classified.Message);
        foreach (var step in new[] { IncidentStep.StatusReported, IncidentStep.Investigating, IncidentStep.Recovered, IncidentStep.RecoveryConfirmed, IncidentStep.RecoveryAnnounced })
        {
            Assert.True((await AsOperator(s => s.AdvanceAsync(incident.Id, step))).Succeeded, step.ToString());
        }
    }

    [Fact]
    public async Task The_page_and_feed_are_anonymous_cached_evicted_on_change_localized_and_show_no_internal_field()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var unique = Guid.NewGuid().ToString("N")[..8];

        // Anonymous: 200 (no sign-in redirect), cacheable by anyone for a short while, with the security headers.
        var (first, firstBody) = await GetAsync(client, "/status", "en");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(first.Headers.CacheControl?.Public, first.Headers.ToString() + first.Content.Headers.ToString() + firstBody[..Math.Min(3000, firstBody.Length)]);
        Assert.Equal(TimeSpan.FromSeconds(30), first.Headers.CacheControl?.MaxAge);
        Assert.Equal(SecurityHeadersMiddleware.ContentSecurityPolicy, first.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", first.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", first.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(first.Headers.Contains("Set-Cookie"));
        Assert.Contains("<link rel=\"alternate\" type=\"application/atom", firstBody, StringComparison.Ordinal);
        Assert.Contains("href=\"/status/feed.atom?culture=en\"", firstBody, StringComparison.Ordinal);
        // The second request is served from the server's cache (Age), still with the security headers.
        var (second, _) = await GetAsync(client, "/status", "en");
        Assert.NotNull(second.Headers.Age);
        Assert.Equal("DENY", second.Headers.GetValues("X-Frame-Options").Single());

        // An incident with internal detail everywhere: the internal title, an internal note, a cause, customers, a staff actor.
        var internalTitle = $"db07.internal.example disk full {unique}";
        var internalNote = $"ssh root@10.0.7.7 and rotate logs {unique}";
        var customer = $"Megacorp Holdings {unique}";
        var publicTitle = $"Console pages load slowly {unique}";
        var publicNote = $"We are restoring the service {unique}";
        var opened = await AsOperator(s => s.CreateAsync(new OpenIncidentRequest(internalTitle, publicTitle, "Some console pages fail to load.", AlertSeverity.Critical, [StatusComponents.Console])));
        Assert.True(opened.Succeeded, opened.Message);
        var id = opened.Value;

        // The change evicted the cache: the incident shows at once (not after 30 s), the console in outage.
        var (_, detected) = await GetAsync(client, "/status", "en");
        Assert.Contains(publicTitle, detected, StringComparison.Ordinal);
        Assert.Contains("data-component=\"console\" data-state=\"Outage\"", detected, StringComparison.Ordinal);
        Assert.Contains($"data-incident-id=\"{id}\" data-step=\"Detected\"", detected, StringComparison.Ordinal);

        Assert.True((await AsOperator(s => s.AdvanceAsync(id, IncidentStep.Confirmed))).Succeeded);
        Assert.True((await AsOperator(s => s.AddNoteAsync(id, new AddIncidentNoteRequest(internalNote, false, false)))).Succeeded);
        Assert.True((await AsOperator(s => s.AddNoteAsync(id, new AddIncidentNoteRequest(publicNote, true, false)))).Succeeded);
        Assert.True((await AsOperator(s => s.ClassifyAsync(id, new ClassifyIncidentRequest(internalTitle, publicTitle, "Some console pages fail to load.",
            AlertSeverity.Critical, IncidentCause.Hardware, [StatusComponents.Console], customer, null)))).Succeeded);
        Assert.True((await AsOperator(s => s.AdvanceAsync(id, IncidentStep.StatusReported))).Succeeded);

        // Maintenance announced in advance (two days ahead), in each language.
        var start = DateTime.UtcNow.Date.AddDays(2).AddHours(16);
        var scheduled = await factory.WithScopeAsync(sp => sp.GetRequiredService<ISlaService>().ScheduleMaintenanceAsync(new MaintenanceWindowRequest(
            start, start.AddHours(2), $"Database upgrade {unique}", $"データベース更新 {unique}", "The console is read-only.", "管理画面は閲覧のみになります。", [StatusComponents.Console])));
        Assert.True(scheduled.Succeeded, scheduled.Message);

        string[] secrets = [internalTitle, "db07", internalNote, "10.0.7.7", customer, "operator@test.local", IncidentMessages.GetIn(System.Globalization.CultureInfo.GetCultureInfo("en"), "Cause.Hardware")];
        var (english, en) = await GetAsync(client, "/status", "en-US,en;q=0.9");
        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        Assert.Contains(publicTitle, en, StringComparison.Ordinal);
        Assert.Contains(publicNote, en, StringComparison.Ordinal);
        Assert.Contains("③ Status reported", en, StringComparison.Ordinal);
        Assert.Contains("Current incidents", en, StringComparison.Ordinal);
        Assert.Contains($"Database upgrade {unique}", en, StringComparison.Ordinal);
        Assert.Contains($"data-window-id=\"{scheduled.Value}\" data-in-progress=\"false\"", en, StringComparison.Ordinal);

        var (japanese, ja) = await GetAsync(client, "/status", "ja-JP,ja;q=0.9");
        Assert.Equal(HttpStatusCode.OK, japanese.StatusCode);
        Assert.Contains("<html lang=\"ja\"", ja, StringComparison.Ordinal);
        Assert.Contains("発生中の障害", ja, StringComparison.Ordinal);
        Assert.Contains("③ 状況をお知らせしました", ja, StringComparison.Ordinal);
        Assert.Contains("管理画面", ja, StringComparison.Ordinal);
        Assert.Contains(publicNote, ja, StringComparison.Ordinal);
        Assert.Contains($"データベース更新 {unique}", ja, StringComparison.Ordinal);
        Assert.Contains("管理画面は閲覧のみになります。", ja, StringComparison.Ordinal);
        Assert.DoesNotContain("Current incidents", ja, StringComparison.Ordinal);

        // The feed: valid Atom in the asked culture, cached the same way, with the same public data only.
        var (feedResponse, feed) = await GetAsync(client, "/status/feed.atom?culture=ja-JP", "en");
        Assert.Equal(HttpStatusCode.OK, feedResponse.StatusCode);
        Assert.Equal("application/atom+xml", feedResponse.Content.Headers.ContentType?.MediaType);
        Assert.True(feedResponse.Headers.CacheControl?.Public);
        Assert.Equal("DENY", feedResponse.Headers.GetValues("X-Frame-Options").Single());
        using (var reader = XmlReader.Create(new StringReader(feed)))
        {
            var formatter = new Atom10FeedFormatter();
            Assert.True(formatter.CanRead(reader));
            formatter.ReadFrom(reader);
            var entry = Assert.Single(formatter.Feed.Items, i => i.Id == "urn:uuid:" + id);
            Assert.Contains(publicTitle, entry.Title.Text, StringComparison.Ordinal);
            Assert.Contains("③ 状況をお知らせしました", entry.Title.Text, StringComparison.Ordinal);
            Assert.Contains(publicNote, ((TextSyndicationContent)entry.Content).Text, StringComparison.Ordinal);
            Assert.Equal("ja-JP", formatter.Feed.Language);
            Assert.Contains(formatter.Feed.Items, i => i.Id == "urn:uuid:" + scheduled.Value && i.Title.Text.Contains($"データベース更新 {unique}", StringComparison.Ordinal));
        }

        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, en, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, ja, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, feed, StringComparison.Ordinal);
        }
    }
}
