using System.Globalization;
using System.Net.Http.Json;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Staff;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>
/// Mails every enabled Operator when an alert is raised or resolved, through the outbox, in the recipient's language
/// with times in the recipient's zone (texts in Kuroco.Core/Resources/MonitoringMessages(.ja).resx).
/// </summary>
public sealed class MailAlertListener(
    IStaffDirectory directory,
    NoticeMailer notices,
    KurocoDbContext db,
    IOptions<MonitoringOptions> options) : IAlertListener
{
    public const string MailKind = "monitoring-alert";

    public async Task OnRaisedAsync(AlertRaised alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!options.Value.MailOperators)
        {
            return;
        }
        var comparison = await db.AlertRules.AsNoTracking().Where(r => r.Id == alert.RuleId).Select(r => (AlertComparison?)r.Comparison)
            .FirstOrDefaultAsync(cancellationToken) ?? AlertComparison.GreaterThan;
        foreach (var to in await directory.GetRecipientsInRoleAsync(StaffRoles.Operator, cancellationToken))
        {
            var culture = StaffLanguages.CultureOf(to.Language);
            var severity = SignalText.Severity(alert.Severity, culture);
            var subject = MonitoringMessages.FormatIn(culture, "Mail.Subject.Raised", severity, alert.RuleName);
            var body = MonitoringMessages.FormatIn(culture, "Mail.Body.Raised", alert.RuleName, Time(to, alert.RaisedAtUtc, culture),
                SignalText.Name(alert.Signal, culture), SignalText.Value(alert.Signal, alert.Value, culture),
                AlertRule.Symbol(comparison), SignalText.Threshold(alert.Signal, alert.Threshold, culture), severity);
            await notices.SendAsync(MailKind, to.Email, to.DisplayName, subject, body, cancellationToken);
        }
    }

    public async Task OnResolvedAsync(AlertResolved alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!options.Value.MailOperators)
        {
            return;
        }
        var record = await db.AlertRecords.AsNoTracking().FirstOrDefaultAsync(a => a.Id == alert.AlertId, cancellationToken);
        if (record is null)
        {
            return;
        }
        foreach (var to in await directory.GetRecipientsInRoleAsync(StaffRoles.Operator, cancellationToken))
        {
            var culture = StaffLanguages.CultureOf(to.Language);
            var subject = MonitoringMessages.FormatIn(culture, "Mail.Subject.Resolved", record.RuleName);
            var body = MonitoringMessages.FormatIn(culture, "Mail.Body.Resolved", record.RuleName, Time(to, alert.ResolvedAtUtc, culture),
                Time(to, new DateTimeOffset(record.RaisedAtUtc, TimeSpan.Zero), culture));
            await notices.SendAsync(MailKind, to.Email, to.DisplayName, subject, body, cancellationToken);
        }
    }

    private static string Time(StaffRecipient to, DateTimeOffset utc, CultureInfo culture) =>
        MonitoringMessages.FormatIn(culture, "Mail.Time", StaffTimeZones.ToLocal(utc.UtcDateTime, to.TimeZoneId), StaffTimeZones.Find(to.TimeZoneId).Id);
}

/// <summary>
/// Posts <c>{"text": …}</c> to the Slack incoming webhook (Monitoring:SlackWebhookUrl) for each raised and resolved
/// alert, through the same guarded HTTP stack as content webhooks: an address that is, or resolves to, a loopback,
/// private, link-local (cloud metadata) or otherwise forbidden address is refused at connect time unless an
/// Administrator allowlisted the host; plain http only for an allowlisted host. The URL is a secret: never logged.
/// </summary>
public sealed partial class SlackAlertListener(
    IHttpClientFactory httpClients,
    IWebhookHostAllowlist allowlist,
    KurocoDbContext db,
    IOptions<MonitoringOptions> options,
    ILogger<SlackAlertListener> logger) : IAlertListener
{
    public const string ClientName = "Kuroco.Monitoring.Slack";

    public async Task OnRaisedAsync(AlertRaised alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (Target() is not { } target)
        {
            return;
        }
        var culture = Culture();
        var comparison = await db.AlertRules.AsNoTracking().Where(r => r.Id == alert.RuleId).Select(r => (AlertComparison?)r.Comparison)
            .FirstOrDefaultAsync(cancellationToken) ?? AlertComparison.GreaterThan;
        var text = MonitoringMessages.FormatIn(culture, "Slack.Raised", SignalText.Severity(alert.Severity, culture), alert.RuleName,
            SignalText.Name(alert.Signal, culture), SignalText.Value(alert.Signal, alert.Value, culture),
            AlertRule.Symbol(comparison), SignalText.Threshold(alert.Signal, alert.Threshold, culture),
            alert.RaisedAtUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        await PostAsync(target, text, cancellationToken);
    }

    public async Task OnResolvedAsync(AlertResolved alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (Target() is not { } target)
        {
            return;
        }
        var name = await db.AlertRecords.AsNoTracking().Where(a => a.Id == alert.AlertId).Select(a => a.RuleName).FirstOrDefaultAsync(cancellationToken)
            ?? alert.RuleId.ToString();
        var culture = Culture();
        var text = MonitoringMessages.FormatIn(culture, "Slack.Resolved", name,
            alert.ResolvedAtUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        await PostAsync(target, text, cancellationToken);
    }

    /// <summary>Sends one message; true when Slack answered 2xx. Refusals and failures are logged without the URL.</summary>
    public async Task<bool> PostAsync(Uri target, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Scheme != Uri.UriSchemeHttps && !await allowlist.IsAllowedAsync(target.IdnHost, cancellationToken))
        {
            LogRefused(logger, "plain http is allowed only for an allowlisted host");
            return false;
        }
        try
        {
            var client = httpClients.CreateClient(ClientName);
            using var response = await client.PostAsJsonAsync(target, new SlackMessage(text), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogFailed(logger, (int)response.StatusCode);
            }
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException ex) when (ex.InnerException is Webhooks.WebhookAddressRefusedException || ex is Webhooks.WebhookAddressRefusedException)
        {
            LogRefused(logger, "the host is, or resolves to, a forbidden address");
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, ex.GetType().Name);
            return false;
        }
    }

    private Uri? Target() =>
        Uri.TryCreate(options.Value.SlackWebhookUrl, UriKind.Absolute, out var target) ? target : null;

    private CultureInfo Culture() => StaffLanguages.CultureOf(options.Value.SlackLanguage);

    /// <summary>Slack's incoming-webhook body.</summary>
    public sealed record SlackMessage(string Text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring: the Slack notification was refused ({Reason}).")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring: Slack answered {Status}.")]
    private static partial void LogFailed(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring: Slack could not be reached ({Error}).")]
    private static partial void LogUnreachable(ILogger logger, string error);
}
