using Kuroco.Core.Audit.Review;
using Kuroco.Core.Backups;
using Kuroco.Core.Security;
using Kuroco.Core.Security.SelfAssessment;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Security.SelfAssessment;

/// <summary>
/// Gathers the facts of the running system (the stored policies, the allowlists, the audit review of last month, the
/// newest backup and drill, the dependency report CI wrote, and the web host's <see cref="IWebSecurityFacts"/>) and applies
/// <see cref="SelfAssessmentChecks"/>. Reads only.
/// </summary>
internal sealed partial class SelfAssessmentService(
    IWebSecurityFacts web,
    IPasswordPolicyStore passwordPolicies,
    ISessionPolicyStore sessionPolicies,
    IIpAllowlistService allowlists,
    IAuditReviewService reviews,
    IAuditReviewSettingsStore reviewSettings,
    IBackupService backups,
    IBackupDrills drills,
    IDbContextFactory<KurocoDbContext> contexts,
    IOptions<PasswordHasherOptions> hasher,
    IOptions<SelfAssessmentOptions> options,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<SelfAssessmentService> logger) : ISelfAssessment
{
    public async Task<SelfAssessmentReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var facts = await web.GetAsync(cancellationToken);
        string provider;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            provider = db.Database.ProviderName?.Split('.').LastOrDefault() ?? "?";
        }
        var items = new List<SelfAssessmentItem>();
        // The IPA classes, in the seed's order.
        var byDesign = SelfAssessmentChecks.ByDesign(provider, facts.MaxRequestBodyBytes).ToDictionary(i => i.Code, StringComparer.Ordinal);
        items.Add(byDesign["sql-injection"]);
        items.Add(byDesign["os-command-injection"]);
        items.Add(byDesign["path-traversal"]);
        items.Add(SelfAssessmentChecks.Session(await sessionPolicies.GetAsync(cancellationToken)));
        items.Add(SelfAssessmentChecks.CrossSiteScripting(facts));
        items.Add(byDesign["csrf"]);
        items.Add(byDesign["http-header-injection"]);
        items.Add(byDesign["mail-header-injection"]);
        items.Add(SelfAssessmentChecks.Clickjacking(facts));
        items.Add(byDesign["buffer-overflow"]);
        items.Add(SelfAssessmentChecks.AccessControl(facts));

        // The operational measures.
        items.Add(SelfAssessmentChecks.Https(facts));
        items.Add(SelfAssessmentChecks.SecurityHeaders(facts));
        items.Add(SelfAssessmentChecks.PasswordHashing(hasher.Value.IterationCount));
        items.Add(SelfAssessmentChecks.PasswordPolicy(await passwordPolicies.GetAsync(cancellationToken)));
        items.Add(SelfAssessmentChecks.RateLimiting(facts));
        var consoleRanges = (await allowlists.ListAsync(IpAllowlistKind.Console, cancellationToken)).Count;
        var apiRanges = (await allowlists.ListAsync(IpAllowlistKind.Api, cancellationToken)).Count;
        items.Add(SelfAssessmentChecks.IpRestriction(consoleRanges, apiRanges, facts.IpRestrictionsDisabled));
        items.Add(await AuditReviewAsync(now, cancellationToken));
        items.AddRange(await BackupsAsync(now, cancellationToken));
        items.Add(Dependencies(now));
        return new SelfAssessmentReport(now, items);
    }

    private async Task<SelfAssessmentItem> AuditReviewAsync(DateTime now, CancellationToken cancellationToken)
    {
        var settings = await reviewSettings.GetAsync(cancellationToken);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, settings.Zone));
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var review = await reviews.GetAsync(month, null, cancellationToken);
        return SelfAssessmentChecks.AuditReview(AuditReview.FormatMonth(month), review?.StatusAt(now, settings.OverdueDays), review?.SignedAtUtc);
    }

    private async Task<IReadOnlyList<SelfAssessmentItem>> BackupsAsync(DateTime now, CancellationToken cancellationToken)
    {
        IReadOnlyList<BackupGeneration> generations;
        IReadOnlyDictionary<string, BackupDrillResult> drillResults;
        try
        {
            generations = await backups.ListAsync(cancellationToken);
            drillResults = await drills.GetLatestByGenerationAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or InvalidOperationException)
        {
            // The backup storage cannot be read: that itself is the finding.
            LogBackupsUnreadable(logger, ex);
            var evidence = new SelfAssessmentEvidence("backup-unreadable", ex.GetType().Name);
            return
            [
                new SelfAssessmentItem("backup-verified", SelfAssessmentGroup.Operations, SelfAssessmentStatus.Fail, true, [evidence]),
                new SelfAssessmentItem("restore-drill", SelfAssessmentGroup.Operations, SelfAssessmentStatus.Warn, true, [evidence]),
            ];
        }
        // Generations are verified before they are committed, so the newest listed one is the last verified backup.
        var newest = generations.FirstOrDefault()?.Manifest;
        var lastDrill = drillResults.Values.MaxBy(d => d.RanAtUtc);
        return [SelfAssessmentChecks.LastBackup(newest, now), SelfAssessmentChecks.LastDrill(lastDrill, now)];
    }

    private SelfAssessmentItem Dependencies(DateTime now)
    {
        var settings = options.Value;
        var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, settings.VulnerabilityReportPath));
        var report = File.Exists(path) ? VulnerabilityReport.Parse(File.ReadAllText(path)) : null;
        return SelfAssessmentChecks.Dependencies(report, settings.VulnerabilityReportPath, now, settings.VulnerabilityReportMaxAgeDays);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Self-assessment: the backup storage could not be read.")]
    private static partial void LogBackupsUnreadable(ILogger logger, Exception exception);
}
