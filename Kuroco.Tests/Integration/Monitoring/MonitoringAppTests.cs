using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Staff;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Monitoring;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Monitoring;

/// <summary>The app with its sampling loop off (rounds are driven by the tests), Prometheus on with a bearer token, and two test alert listeners (one that fails).</summary>
public sealed class MonitoringAppFactory : KurocoAppFactory
{
    public const string ScrapeToken = "scrape-token-for-tests";

    public MonitoringAppFactory()
    {
        Settings["Monitoring:Enabled"] = "false";
        Settings["Monitoring:Prometheus:Enabled"] = "true";
        Settings["Monitoring:Prometheus:BearerToken"] = ScrapeToken;
        TestServices = services =>
        {
            services.AddSingleton<RecordingAlertListener.Calls>();
            services.AddScoped<IAlertListener, FailingAlertListener>();
            services.AddScoped<IAlertListener, RecordingAlertListener>();
        };
    }
}

public sealed class FailingAlertListener : IAlertListener
{
    public Task OnRaisedAsync(AlertRaised alert, CancellationToken cancellationToken) => throw new InvalidOperationException("This listener always fails.");

    public Task OnResolvedAsync(AlertResolved alert, CancellationToken cancellationToken) => throw new InvalidOperationException("This listener always fails.");
}

public sealed class RecordingAlertListener(RecordingAlertListener.Calls calls) : IAlertListener
{
    public Task OnRaisedAsync(AlertRaised alert, CancellationToken cancellationToken)
    {
        calls.Add(alert);
        return Task.CompletedTask;
    }

    public Task OnResolvedAsync(AlertResolved alert, CancellationToken cancellationToken)
    {
        calls.Add(alert);
        return Task.CompletedTask;
    }

    public sealed class Calls
    {
        private readonly List<object> items = [];

        public void Add(object item)
        {
            lock (items)
            {
                items.Add(item);
            }
        }

        public IReadOnlyList<object> Snapshot()
        {
            lock (items)
            {
                return [.. items];
            }
        }
    }
}

public sealed class MonitoringAppTests(MonitoringAppFactory factory) : IClassFixture<MonitoringAppFactory>
{
    private static T Get<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();

    [Fact]
    public async Task A_sampling_round_records_every_dependency_and_process_figure_and_counts_availability()
    {
        var service = factory.Services.GetRequiredService<MonitoringSamplerService>();
        // Some traffic for the request metrics.
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        var samples = await service.RunRoundAsync(CancellationToken.None);

        var bySignal = samples.ToDictionary(s => s.Signal, s => s.Value);
        foreach (var up in new[] { MonitoringSignals.AppUp, MonitoringSignals.DatabaseUp, MonitoringSignals.JobStorageUp, MonitoringSignals.MailUp, MonitoringSignals.BackupStorageUp })
        {
            Assert.Equal(1, bySignal[up]);
        }
        Assert.InRange(bySignal[MonitoringSignals.DatabaseLatency], 0, 30_000);
        Assert.True(bySignal[MonitoringSignals.ProcessMemory] > 10 * 1024 * 1024);
        Assert.True(bySignal[MonitoringSignals.MachineMemoryAvailable] > 0);
        Assert.True(bySignal[MonitoringSignals.DiskFree] > 0);
        Assert.InRange(bySignal[MonitoringSignals.Cpu], 0, 100);
        Assert.True(bySignal[MonitoringSignals.RequestRate] > 0, "the /health/ready request was counted from ASP.NET Core's own meter");
        Assert.True(bySignal.ContainsKey(MonitoringSignals.LatencyP95));
        // Probes are off in tests: no probe figures.
        Assert.False(bySignal.ContainsKey(MonitoringSignals.ProbeConsole));
        Assert.Single(samples.Select(s => s.AtUtc).Distinct());

        var store = factory.Services.GetRequiredService<IMonitoringSampleStore>();
        var at = samples[0].AtUtc;
        var stored = await store.QueryAsync(MonitoringSignals.DatabaseUp, at.AddMinutes(-1), at.AddMinutes(1), SampleResolution.Raw, CancellationToken.None);
        Assert.Contains(stored, p => p.AtUtc == at && p.Avg == 1);
        var minute = await store.GetAvailabilityAsync(at.AddMinutes(-1), at.AddMinutes(1), CancellationToken.None);
        Assert.Contains(minute, m => m.Probes >= 1 && m.AppDown == 0 && m.DatabaseDown == 0);
        // The store is a file of its own beside the main database.
        Assert.True(File.Exists(Path.Combine(factory.DataPath, "monitoring.db")));
    }

    [Fact]
    public async Task The_hosted_loop_samples_once_per_interval_on_the_fake_clock()
    {
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var folder = Path.Combine(factory.DataPath, "loop-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteMonitoringSampleStore(Path.Combine(folder, "monitoring.db"), clock);
        var options = Options.Create(new MonitoringOptions { SampleInterval = TimeSpan.FromSeconds(15) });
        var sp = factory.Services;
        var sampler = new MonitoringSampler(Get<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>(sp), Get<IHttpClientFactory>(sp),
            new HttpServerMetrics(), options, Get<IOptions<StorageOptions>>(sp), clock, NullLogger<MonitoringSampler>.Instance);
        using var meter = new MonitoringMeter(Get<System.Diagnostics.Metrics.IMeterFactory>(sp));
        using var loop = new MonitoringSamplerService(sampler, store, meter, Get<IServiceScopeFactory>(sp), options, clock, NullLogger<MonitoringSamplerService>.Instance);
        await loop.StartAsync(CancellationToken.None);
        try
        {
            for (var round = 1; round <= 3; round++)
            {
                clock.Advance(TimeSpan.FromSeconds(15));
                await Eventually.GetAsync(
                    () => store.QueryAsync(MonitoringSignals.AppUp, start, start.AddHours(1), SampleResolution.Raw, CancellationToken.None),
                    points => points.Count == round, $"round {round}");
            }
            // Nothing happens between ticks.
            clock.Advance(TimeSpan.FromSeconds(14));
            await Task.Delay(200);
            var points = await store.QueryAsync(MonitoringSignals.AppUp, start, start.AddHours(1), SampleResolution.Raw, CancellationToken.None);
            Assert.Equal([start.AddSeconds(15), start.AddSeconds(30), start.AddSeconds(45)], points.Select(p => p.AtUtc));
            Assert.Equal([new AvailabilityMinute(start, 3, 0, 0)], await store.GetAvailabilityAsync(start, start.AddHours(1), CancellationToken.None));
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Holding_durations_and_open_alerts_survive_a_restart_on_the_same_data_folder()
    {
        // CPU ≥ 90 % for 2 min; process memory ≥ 1 byte for 1 min. Rounds every 15–30 s (the round's time is the clock).
        var start = new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
        static MonitoringSample[] Round(DateTimeOffset at, double cpu, double memory) =>
            [new(MonitoringSignals.Cpu, at, cpu), new(MonitoringSignals.ProcessMemory, at, memory)];
        await using var first = new MonitoringAppFactory();
        foreach (var rule in new[]
        {
            new AlertRuleInput("CPU high", MonitoringSignals.Cpu, AlertComparison.GreaterOrEqual, 90, 2, AlertSeverity.Warning, true),
            new AlertRuleInput("Memory used", MonitoringSignals.ProcessMemory, AlertComparison.GreaterOrEqual, 1, 1, AlertSeverity.Info, true),
        })
        {
            Assert.True((await first.WithScopeAsync(sp => Get<IAlertRuleService>(sp).CreateAsync(rule))).Succeeded);
        }
        foreach (var second in new[] { 0, 60 })
        {
            await first.WithScopeAsync(sp => Get<AlertEvaluator>(sp).EvaluateAsync(Round(start.AddSeconds(second), 95, 5), CancellationToken.None));
        }
        // "Memory used" is open; "CPU high" has held for 60 s of its 120.
        Assert.Equal(["Memory used"], (await first.WithScopeAsync(sp => Get<IAlertRuleService>(sp).ListAlertsAsync(10))).Select(a => a.RuleName));

        // A new host on the same data folder: a fresh process as far as the tracker is concerned.
        await using var restarted = new MonitoringAppFactory();
        restarted.Settings["Storage:DataPath"] = first.DataPath;
        foreach (var (second, memory) in new[] { (90, 5d), (120, 5d), (135, 0d) })
        {
            await restarted.WithScopeAsync(sp => Get<AlertEvaluator>(sp).EvaluateAsync(Round(start.AddSeconds(second), 95, memory), CancellationToken.None));
        }
        var alerts = await restarted.WithScopeAsync(sp => Get<IAlertRuleService>(sp).ListAlertsAsync(10));
        // CPU high: raised at 120 s (held since 0 s before the restart), not at 210 s; Memory used: not raised again, resolved at 135 s.
        var cpu = Assert.Single(alerts, a => a.RuleName == "CPU high");
        Assert.Equal((start.AddSeconds(120).UtcDateTime, (DateTime?)null), (cpu.RaisedAtUtc, cpu.ResolvedAtUtc));
        var memoryAlert = Assert.Single(alerts, a => a.RuleName == "Memory used");
        Assert.Equal((start.AddSeconds(60).UtcDateTime, (DateTime?)start.AddSeconds(135).UtcDateTime), (memoryAlert.RaisedAtUtc, memoryAlert.ResolvedAtUtc));
        Assert.Equal(2, alerts.Count);
    }

    [Fact]
    public async Task Rules_are_validated_and_audited_and_alerts_are_raised_once_and_resolved_through_every_listener()
    {
        var operatorId = await factory.CreateStaffAsync("alert-operator@test.local", StaffRoles.Operator);
        await factory.UpdateStaffAsync(operatorId, u => { u.Language = "ja"; u.TimeZoneId = "Asia/Tokyo"; });

        // Bad input: a clear localized error, nothing stored.
        var invalid = await factory.WithScopeAsync(sp => Get<IAlertRuleService>(sp).CreateAsync(
            new AlertRuleInput("", "no.such-signal", AlertComparison.GreaterThan, 1, 0, AlertSeverity.Info, true)));
        Assert.Equal(ErrorKind.Validation, invalid.Error);
        Assert.Contains("Enter a name for the rule.", invalid.Errors);
        Assert.Empty(await factory.WithScopeAsync(sp => Get<IAlertRuleService>(sp).ListAsync()));

        var created = await factory.WithScopeAsync(sp => Get<IAlertRuleService>(sp).CreateAsync(
            new AlertRuleInput(" Database latency high ", MonitoringSignals.DatabaseLatency, AlertComparison.GreaterOrEqual, 500, 1, AlertSeverity.Critical, true)));
        Assert.True(created.Succeeded, created.Message);
        var ruleId = created.Value;
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.AlertRuleCreated);
        Assert.Equal(ruleId.ToString(), entry.EntityId);
        Assert.Equal("Alert rule \"Database latency high\" created: db.latency-ms ≥ 500 for 1 min (Critical).", AuditText.English(entry));
        Assert.Equal("アラートルール「Database latency high」を作成しました: db.latency-ms ≥ 500、1分継続（重大）。", AuditText.Japanese(entry));

        // 15-second rounds: 600 ms from 0 s to 90 s, then 20 ms.
        var start = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
        var calls = factory.Services.GetRequiredService<RecordingAlertListener.Calls>();
        var before = calls.Snapshot().Count;
        for (var second = 0; second <= 120; second += 15)
        {
            var value = second <= 90 ? 600 : 20;
            await factory.WithScopeAsync(sp => Get<AlertEvaluator>(sp).EvaluateAsync(
                [new MonitoringSample(MonitoringSignals.DatabaseLatency, start.AddSeconds(second), value)], CancellationToken.None));
        }

        var seen = calls.Snapshot().Skip(before).ToList();
        Assert.Equal(2, seen.Count);
        var raised = Assert.IsType<AlertRaised>(seen[0]);
        Assert.Equal((ruleId, "Database latency high", 600d, 500d, start.AddSeconds(60)), (raised.RuleId, raised.RuleName, raised.Value, raised.Threshold, raised.RaisedAtUtc));
        var resolved = Assert.IsType<AlertResolved>(seen[1]);
        Assert.Equal((raised.AlertId, start.AddSeconds(105)), (resolved.AlertId, resolved.ResolvedAtUtc));
        var history = await factory.WithScopeAsync(sp => Get<IAlertRuleService>(sp).ListAlertsAsync(10));
        var record = Assert.Single(history);
        Assert.Equal((start.AddSeconds(60).UtcDateTime, (DateTime?)start.AddSeconds(105).UtcDateTime), (record.RaisedAtUtc, record.ResolvedAtUtc));

        // The Operator got both notices, in Japanese, with times in Tokyo (despite the failing listener registered before the mail one ran).
        var mails = await factory.WithScopeAsync(sp => Get<KurocoDbContext>(sp).OutboxMessages.AsNoTracking()
            .Where(m => m.ToAddress == "alert-operator@test.local").OrderBy(m => m.CreatedAtUtc).ToListAsync());
        Assert.Equal(["[Kuroco] アラート（重大）: Database latency high", "[Kuroco] 解消: Database latency high"], mails.Select(m => m.Subject));
        Assert.Contains("2026年12月1日 12:01（Asia/Tokyo）", mails[0].Body);
        Assert.Contains("600.0 ms", mails[0].Body);

        // Editing and deleting are audited; deleting resolves nothing twice (the alert is already resolved).
        var update = await factory.WithScopeAsync(sp => Get<IAlertRuleService>(sp).UpdateAsync(ruleId,
            new AlertRuleInput("Database latency high", MonitoringSignals.DatabaseLatency, AlertComparison.GreaterOrEqual, 800, 2, AlertSeverity.Warning, false)));
        Assert.True(update.Succeeded);
        var updated = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.AlertRuleUpdated);
        Assert.Equal("Alert rule \"Database latency high\" changed: db.latency-ms ≥ 800 for 2 min (Warning).", AuditText.English(updated));
        Assert.True((await factory.WithScopeAsync(sp => Get<IAlertRuleService>(sp).DeleteAsync(ruleId))).Succeeded);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.AlertRuleDeleted && e.EntityId == ruleId.ToString());
        Assert.Equal(ErrorKind.NotFound, (await factory.WithScopeAsync(sp => Get<IAlertRuleService>(sp).DeleteAsync(ruleId))).Error);
    }

    [Fact]
    public async Task The_Prometheus_endpoint_needs_its_bearer_token()
    {
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        right.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MonitoringAppFactory.ScrapeToken);
        using var response = await client.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Slack_gets_a_text_payload_and_the_guard_refuses_loopback_and_metadata_addresses()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = new List<(string Method, string ContentType, string Body)>();
        var serve = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (received)
                {
                    received.Add((context.Request.HttpMethod, context.Request.ContentType ?? "", body));
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var hook = $"http://127.0.0.1:{port}/services/T000/B000/secret";
        // Not allowlisted: loopback (over https, so the address guard is what refuses) and the cloud metadata address are refused.
        Assert.False(await SlackAsync(hook.Replace("http://", "https://", StringComparison.Ordinal), l => l.PostAsync(new Uri(hook.Replace("http://", "https://", StringComparison.Ordinal)), "x", CancellationToken.None)));
        Assert.False(await SlackAsync("https://169.254.169.254/latest/meta-data", l => l.PostAsync(new Uri("https://169.254.169.254/latest/meta-data"), "x", CancellationToken.None)));
        Assert.False(await SlackAsync(hook, l => l.PostAsync(new Uri(hook), "x", CancellationToken.None)));
        Assert.Empty(received);

        // An Administrator allowlisted the host: the message arrives as Slack's {"text": …}.
        await factory.WithScopeAsync(async sp =>
        {
            var db = Get<KurocoDbContext>(sp);
            db.WebhookAllowedHosts.Add(new WebhookAllowedHost { Host = "127.0.0.1", UpdatedAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
            Get<IWebhookHostAllowlist>(sp).Invalidate();
        });
        var alert = new AlertRaised(Guid.NewGuid(), Guid.NewGuid(), "Disk almost full", MonitoringSignals.DiskFree, AlertSeverity.Critical,
            512d * 1024 * 1024, 1024d * 1024 * 1024, new DateTimeOffset(2026, 12, 1, 3, 4, 0, TimeSpan.Zero));
        await SlackAsync(hook, async l => { await l.OnRaisedAsync(alert, CancellationToken.None); return true; });
        listener.Stop();
        await serve;

        var (method, contentType, payload) = Assert.Single(received);
        Assert.Equal("POST", method);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(payload);
        var text = json.RootElement.GetProperty("text").GetString();
        Assert.Equal(":rotating_light: Alert (Critical): Disk almost full — Disk free (data volume) = 512.0 MiB (threshold > 1,024.0 MiB) since 2026-12-01 03:04 UTC", text);
        Assert.Single(json.RootElement.EnumerateObject());
    }

    private Task<bool> SlackAsync(string url, Func<SlackAlertListener, Task<bool>> action) => factory.WithScopeAsync(sp =>
    {
        var listener = new SlackAlertListener(Get<IHttpClientFactory>(sp), Get<IWebhookHostAllowlist>(sp), Get<KurocoDbContext>(sp),
            Options.Create(new MonitoringOptions { SlackWebhookUrl = url }), NullLogger<SlackAlertListener>.Instance);
        return action(listener);
    });

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
