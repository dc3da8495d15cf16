using System.Text.RegularExpressions;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Incidents;
using Kuroco.Core.Mail;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Incidents;

/// <summary>
/// An incident through the real services on SQLite with a fake clock: the seven steps, notices in two languages through
/// the outbox, the three-hour rule's job flagging and mailing once per period, unsubscribing, the audit trail, the alert
/// listener.
/// </summary>
public sealed partial class IncidentWorkflowTests(IncidentWorkflowTests.IncidentAppFactory factory) : IClassFixture<IncidentWorkflowTests.IncidentAppFactory>
{
    public sealed class IncidentAppFactory : KurocoAppFactory
    {
        public IncidentAppFactory()
        {
            // The test runs the overdue job itself (with the fake clock); the job server must not run it at a real minute.
            Settings["Incidents:OverdueCheckCron"] = "0 0 1 1 *";
            TestServices = services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton(Actor);
                services.AddScoped<IAuditContext>(sp => sp.GetRequiredService<ActingAs>());
            };
        }

        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

        public ActingAs Actor { get; } = new();
    }

    /// <summary>Who the services see as the current user.</summary>
    public sealed class ActingAs : IAuditContext
    {
        public AuditActor Current { get; set; } = Operator;

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Current);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }

    private static readonly AuditActor Operator = new("op-id", "operator@test.local", [StaffRoles.Operator]);
    private static readonly AuditActor Officer = new("so-id", "officer@test.local", [StaffRoles.SecurityOfficer]);

    private Task<T> As<T>(AuditActor actor, Func<IServiceProvider, Task<T>> action)
    {
        factory.Actor.Current = actor;
        return factory.WithScopeAsync(action);
    }

    private static IIncidentService Incidents(IServiceProvider sp) => sp.GetRequiredService<IIncidentService>();

    private Task<List<OutboxMessage>> MailsToAsync(string address) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().Where(m => m.ToAddress == address).OrderBy(m => m.CreatedAtUtc).ToListAsync());

    [Fact]
    public async Task An_incident_walks_the_seven_steps_with_notices_in_each_language_the_three_hour_rule_and_an_audit_trail()
    {
        using var culture = new CultureScope("en");
        var unique = Guid.NewGuid().ToString("N")[..8];
        var ja = $"ja-{unique}@example.jp";
        var en = $"en-{unique}@example.com";
        var backupsOnly = $"bk-{unique}@example.com";
        var onCall = $"oncall-{unique}@test.local";
        await factory.CreateStaffAsync(onCall, StaffRoles.Operator);
        var contacts = await As(Operator, async sp =>
        {
            var service = sp.GetRequiredService<INoticeContactService>();
            Assert.True((await service.CreateAsync(new NoticeContactRequest("山田 太郎", ja, NoticeContact.Japanese, "Asia/Tokyo", [StatusComponents.Console]))).Succeeded);
            Assert.True((await service.CreateAsync(new NoticeContactRequest("Jane Roe", en, NoticeContact.English, "UTC", []))).Succeeded);
            Assert.True((await service.CreateAsync(new NoticeContactRequest("Backups team", backupsOnly, NoticeContact.English, "UTC", [StatusComponents.Backups]))).Succeeded);
            var duplicate = await service.CreateAsync(new NoticeContactRequest("Again", ja, NoticeContact.Japanese, "Asia/Tokyo", []));
            Assert.Equal(ErrorKind.Conflict, duplicate.Error);
            return await service.ListAsync();
        });
        Assert.Contains(contacts, c => c.Email == ja);

        // A SecurityOfficer reads incidents but may not open one.
        var refused = await As(Officer, sp => Incidents(sp).CreateAsync(new OpenIncidentRequest("x", "x", "", AlertSeverity.Warning, [])));
        Assert.Equal(ErrorKind.Forbidden, refused.Error);

        var detected = factory.Clock.GetUtcNow().UtcDateTime;
        var opened = await As(Operator, sp => Incidents(sp).CreateAsync(new OpenIncidentRequest(
            "db01.internal down " + unique, "Console unavailable " + unique, "Some console pages fail to load.", AlertSeverity.Critical, [StatusComponents.Console])));
        Assert.True(opened.Succeeded, opened.Message);
        var id = opened.Value;

        // A skip is refused and changes nothing.
        var skip = await As(Operator, sp => Incidents(sp).AdvanceAsync(id, IncidentStep.StatusReported));
        Assert.Equal(ErrorKind.Conflict, skip.Error);
        Assert.Equal(IncidentStep.Detected, (await As(Operator, sp => Incidents(sp).FindAsync(id)))!.Step);

        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await As(Operator, sp => Incidents(sp).AdvanceAsync(id, IncidentStep.Confirmed))).Succeeded);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await As(Operator, sp => Incidents(sp).AdvanceAsync(id, IncidentStep.StatusReported))).Succeeded);

        // Step ③ sent the status notice: in Japanese with JST times to one contact, in English with UTC to the other; not to the backups-only contact.
        var jaMail = Assert.Single(await MailsToAsync(ja));
        Assert.Equal("障害のお知らせ：Console unavailable " + unique, jaMail.Subject);
        Assert.Contains("山田 太郎 様", jaMail.Body, StringComparison.Ordinal);
        Assert.Contains("発生日時：2026年12月7日 09:00（Asia/Tokyo）", jaMail.Body, StringComparison.Ordinal);
        Assert.Contains("影響範囲：管理画面", jaMail.Body, StringComparison.Ordinal);
        var enMail = Assert.Single(await MailsToAsync(en));
        Assert.Equal("Incident notice: Console unavailable " + unique, enMail.Subject);
        Assert.Contains("Detected: 2026-12-07 00:00 (UTC)", enMail.Body, StringComparison.Ordinal);
        Assert.Empty(await MailsToAsync(backupsOnly));
        foreach (var mail in new[] { jaMail, enMail })
        {
            Assert.DoesNotContain("db01.internal", mail.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("operator@test.local", mail.Body, StringComparison.Ordinal);
            Assert.Matches(TokenLink(), mail.Body);
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.True((await As(Operator, sp => Incidents(sp).AdvanceAsync(id, IncidentStep.Investigating))).Succeeded);

        // The three-hour rule: 3 h after detection reports become required, the first due an hour later (04:00 UTC).
        var job = () => factory.WithScopeAsync(sp => sp.GetRequiredService<IncidentOverdueJob>().ExecuteAsync(CancellationToken.None));
        // (Other incidents of this class's database may be overdue too: count this incident's reminders by subject.)
        var reminders = async () => (await MailsToAsync(onCall)).Where(m => m.Subject == "Progress report overdue: db01.internal down " + unique).ToList();
        factory.Clock.Advance(detected.AddHours(4) - factory.Clock.GetUtcNow().UtcDateTime);
        await job();
        Assert.Empty(await reminders());
        var before = await As(Operator, async sp => Incidents(sp).ProgressState((await Incidents(sp).FindAsync(id))!));
        Assert.Equal(detected.AddHours(4), before.NextDueUtc);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await job() >= 1);
        await job(); // once per overdue period
        var overdue = await As(Operator, sp => Incidents(sp).ListOverdueAsync());
        Assert.Contains(overdue, i => i.Id == id);
        var reminder = Assert.Single(await reminders());
        Assert.Contains("http://localhost:5080/incidents/" + id, reminder.Body, StringComparison.Ordinal);
        factory.Clock.Advance(TimeSpan.FromHours(1));
        await job(); // the next period reminds again
        Assert.Equal(2, (await reminders()).Count);

        // A progress report (late) clears the flag and goes to the contacts.
        Assert.True((await As(Operator, sp => Incidents(sp).AddNoteAsync(id, new AddIncidentNoteRequest("Storage is being replaced.", true, true)))).Succeeded);
        Assert.True((await As(Operator, sp => Incidents(sp).AddNoteAsync(id, new AddIncidentNoteRequest("ssh db01.internal", false, false)))).Succeeded);
        Assert.DoesNotContain(await As(Operator, sp => Incidents(sp).ListOverdueAsync()), i => i.Id == id);
        var progressJa = (await MailsToAsync(ja))[1];
        Assert.Equal("障害対応の進捗をご報告いたします。", progressJa.Body.Split('\n')[2]);
        Assert.Contains("Storage is being replaced.", progressJa.Body, StringComparison.Ordinal);

        // Recovery needs a cause; then ⑤ ⑥ ⑦ and the recovery notice.
        Assert.Equal(ErrorKind.Conflict, (await As(Operator, sp => Incidents(sp).AdvanceAsync(id, IncidentStep.Recovered))).Error);
        Assert.True((await As(Operator, sp => Incidents(sp).ClassifyAsync(id, new ClassifyIncidentRequest(
            "db01.internal down " + unique, "Console unavailable " + unique, "Some console pages fail to load.", AlertSeverity.Critical,
            IncidentCause.Hardware, [StatusComponents.Console], "ACME Corp\nInitech", null)))).Succeeded);
        foreach (var step in new[] { IncidentStep.Recovered, IncidentStep.RecoveryConfirmed, IncidentStep.RecoveryAnnounced })
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.True((await As(Operator, sp => Incidents(sp).AdvanceAsync(id, step))).Succeeded);
        }
        var recoveryEn = (await MailsToAsync(en)).Last();
        Assert.Equal("Recovered: Console unavailable " + unique, recoveryEn.Subject);

        var closed = await As(Operator, sp => Incidents(sp).FindAsync(id));
        Assert.True(closed!.IsClosed);
        Assert.Equal([IncidentNoticeKind.Status, IncidentNoticeKind.Progress, IncidentNoticeKind.Recovery], closed.Notices.Select(n => n.Kind));
        Assert.All(closed.Notices, n => Assert.Equal(2, n.Recipients));
        Assert.True(Assert.Single(closed.Notes, n => n.Kind == IncidentNoteKind.Progress).WasOverdue);
        Assert.Equal(ErrorKind.Conflict, (await As(Operator, sp => Incidents(sp).AddNoteAsync(id, new AddIncidentNoteRequest("late", false, false)))).Error);

        // The public view never carries the internal title, notes, cause, customers or staff names.
        var view = Assert.Single(await As(Operator, sp => Incidents(sp).ListPublicAsync(detected.AddMinutes(-1))), v => v.Id == id);
        var json = System.Text.Json.JsonSerializer.Serialize(view);
        Assert.DoesNotContain("db01", json, StringComparison.Ordinal);
        Assert.DoesNotContain("ACME", json, StringComparison.Ordinal);
        Assert.DoesNotContain("operator@test.local", json, StringComparison.Ordinal);

        // Unsubscribing with the token of a mail: once.
        var token = TokenLink().Match(jaMail.Body).Groups["token"].Value;
        Assert.True((await As(Operator, sp => sp.GetRequiredService<INoticeContactService>().UnsubscribeAsync(token))).Succeeded);
        Assert.Equal(ErrorKind.NotFound, (await As(Operator, sp => sp.GetRequiredService<INoticeContactService>().UnsubscribeAsync(token))).Error);
        Assert.False((await As(Operator, sp => sp.GetRequiredService<INoticeContactService>().ListAsync())).Single(c => c.Email == ja).Subscribed);

        // The audit trail, rendered in both languages.
        var entries = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == id.ToString()).ToList();
        Assert.Equal(6, entries.Count(e => e.Action == AuditActions.IncidentAdvanced));
        Assert.Equal(2, entries.Count(e => e.Action == AuditActions.IncidentProgressOverdue));
        Assert.Equal(3, entries.Count(e => e.Action == AuditActions.IncidentNoticeSent));
        var confirmed = entries.First(e => e.Action == AuditActions.IncidentAdvanced);
        Assert.Equal($"operator@test.local moved incident \"db01.internal down {unique}\" to ② Confirmed.", AuditText.English(confirmed));
        Assert.Equal($"operator@test.local がインシデント「db01.internal down {unique}」を ② 障害確認 に進めました。", AuditText.Japanese(confirmed));
        Assert.Contains(entries, e => e.Action == AuditActions.IncidentClassified);

        // The month's report: this incident confirmed after 10 min, recovered after 4 h 31 min, one late progress report.
        var report = await As(Operator, sp => Incidents(sp).MonthlyReportAsync(1));
        var month = Assert.Single(report);
        Assert.Equal((2026, 12), (month.Year, month.Month));
        Assert.True(month.Count >= 1);
        Assert.True(month.ProgressReportsOverdue >= 1);
    }

    [Fact]
    public async Task A_critical_alert_opens_one_incident_with_an_internal_note_and_a_warning_opens_none()
    {
        var listener = (IServiceProvider sp) => sp.GetServices<IAlertListener>().OfType<IncidentAlertListener>().Single();
        var alert = new AlertRaised(Guid.NewGuid(), Guid.NewGuid(), "API latency " + Guid.NewGuid().ToString("N")[..6], MonitoringSignals.ProbeDeliveryApi,
            AlertSeverity.Critical, 2400, 1000, factory.Clock.GetUtcNow());
        await factory.WithScopeAsync(sp => listener(sp).OnRaisedAsync(alert, CancellationToken.None));
        await factory.WithScopeAsync(sp => listener(sp).OnRaisedAsync(alert, CancellationToken.None));
        // The same rule raising again while its incident is open adds a note, not a second incident.
        await factory.WithScopeAsync(sp => listener(sp).OnRaisedAsync(alert with { AlertId = Guid.NewGuid() }, CancellationToken.None));
        await factory.WithScopeAsync(sp => listener(sp).OnRaisedAsync(alert with { AlertId = Guid.NewGuid(), RuleId = Guid.NewGuid(), Severity = AlertSeverity.Warning }, CancellationToken.None));
        await factory.WithScopeAsync(sp => listener(sp).OnResolvedAsync(new AlertResolved(alert.AlertId, alert.RuleId, factory.Clock.GetUtcNow().AddMinutes(5)), CancellationToken.None));

        var incidents = await As(Operator, sp => Incidents(sp).ListAsync(open: true));
        var incident = Assert.Single(incidents, i => i.AlertRuleId == alert.RuleId);
        Assert.DoesNotContain(incidents, i => i.AlertRuleName == alert.RuleName && i.AlertRuleId != alert.RuleId);
        var full = (await As(Operator, sp => Incidents(sp).FindAsync(incident.Id)))!;
        Assert.Equal(IncidentStep.Detected, full.Step);
        Assert.Equal(alert.AlertId, full.AlertId);
        Assert.Equal(AlertSeverity.Critical, full.Severity);
        Assert.Equal([StatusComponents.DeliveryApi], full.ComponentList);
        Assert.Equal(3, full.Notes.Count);
        Assert.All(full.Notes, n => Assert.False(n.IsPublic));
        Assert.Contains("signal probe.api-ms = 2400 (threshold 1000)", full.Notes[0].Text, StringComparison.Ordinal);
        Assert.Contains("stopped holding", full.Notes[2].Text, StringComparison.Ordinal);
        var entry = (await factory.AuditEntriesAsync()).Single(e => e.Action == AuditActions.IncidentOpened && e.EntityId == incident.Id.ToString());
        Assert.Equal($"Alert {alert.AlertId} (rule {alert.RuleName}) opened incident \"Alert: {alert.RuleName}\" (severity Critical).", AuditText.English(entry));
    }

    [GeneratedRegex(@"http://localhost:5080/notices/unsubscribe\?token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex TokenLink();
}
