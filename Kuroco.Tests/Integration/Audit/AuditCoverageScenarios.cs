using System.Net;
using System.Text;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Backups;
using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Logs;
using Kuroco.Core.Mail;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Core.Security;
using Kuroco.Core.Security.SignIn;
using Kuroco.Core.Staff;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Kuroco.Infrastructure.Webhooks;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Integration.Backups.Requests;
using Kuroco.Tests.Integration.Media;
using Kuroco.Tests.Integration.Members;
using Kuroco.Tests.Integration.Webhooks;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Kuroco.Tests.Integration.Audit.AuditScenario;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// How to call each audited service method through the app with valid input, keyed like AuditCoverageTests.Services
/// ("Interface.Method"). A scenario sets up what it needs (shared helpers below), then calls the method once inside
/// <see cref="AuditScenario.CallAsync{T}"/>; the test checks that the call appended one of the method's classified actions.
/// </summary>
internal static class AuditCoverageScenarios
{
    private static Kuroco.Core.Monitoring.AlertRuleInput AlertRule(string name) =>
        new(name, Kuroco.Core.Monitoring.MonitoringSignals.Cpu, Kuroco.Core.Monitoring.AlertComparison.GreaterThan, 90, 5, Kuroco.Core.Monitoring.AlertSeverity.Warning, true);

    private static T Get<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();

    private static Kuroco.Core.Sla.MaintenanceWindowRequest MaintenanceRequest(IServiceProvider sp)
    {
        var start = Get<TimeProvider>(sp).GetUtcNow().UtcDateTime.AddDays(1);
        return new(start, start.AddHours(1), "Coverage maintenance " + Unique(), "保守 " + Unique(), "", "", [Kuroco.Core.Incidents.StatusComponents.Console]);
    }

    private static async Task<Guid> MaintenanceWindowAsync(AuditScenario s)
    {
        using var acting = ActingAuditContext.As(await s.App.AdministratorAsync());
        var scheduled = await s.App.WithScopeAsync(sp => Get<Kuroco.Core.Sla.ISlaService>(sp).ScheduleMaintenanceAsync(MaintenanceRequest(sp)));
        Ok(scheduled);
        return scheduled.Value;
    }

    public static IReadOnlyDictionary<string, Func<AuditScenario, Task>> Services { get; } = new Dictionary<string, Func<AuditScenario, Task>>(StringComparer.Ordinal)
    {
        // Audit log and review
        ["IAuditSavedFilters.SaveAsync"] = async s =>
        {
            var admin = await s.App.AdministratorAsync();
            await s.CallAsync(sp => Get<IAuditSavedFilters>(sp).SaveAsync(admin.UserId!, "Coverage " + Unique(), "action=auth.sign-in"));
        },
        ["IAuditSavedFilters.DeleteAsync"] = async s =>
        {
            var admin = await s.App.AdministratorAsync();
            var (filter, _) = await s.App.WithScopeAsync(sp => Get<IAuditSavedFilters>(sp).SaveAsync(admin.UserId!, "Coverage " + Unique(), "action=auth.sign-in"));
            await s.CallAsync(sp => Get<IAuditSavedFilters>(sp).DeleteAsync(admin.UserId!, filter!.Id));
        },
        ["IAlertRuleService.CreateAsync"] = async s =>
            await s.CallAsync(sp => Get<Kuroco.Core.Monitoring.IAlertRuleService>(sp).CreateAsync(AlertRule("Coverage " + Unique()))),
        ["IAlertRuleService.UpdateAsync"] = async s =>
        {
            var created = await s.App.WithScopeAsync(sp => Get<Kuroco.Core.Monitoring.IAlertRuleService>(sp).CreateAsync(AlertRule("Coverage " + Unique())));
            await s.CallAsync(sp => Get<Kuroco.Core.Monitoring.IAlertRuleService>(sp).UpdateAsync(created.Value, AlertRule("Coverage " + Unique())));
        },
        ["IAlertRuleService.DeleteAsync"] = async s =>
        {
            var created = await s.App.WithScopeAsync(sp => Get<Kuroco.Core.Monitoring.IAlertRuleService>(sp).CreateAsync(AlertRule("Coverage " + Unique())));
            await s.CallAsync(sp => Get<Kuroco.Core.Monitoring.IAlertRuleService>(sp).DeleteAsync(created.Value));
        },
        ["ILogRetentionSettings.SetMonthsAsync"] = async s =>
        {
            var months = await s.App.WithScopeAsync(sp => Get<ILogRetentionSettings>(sp).GetMonthsAsync());
            await s.CallAsync(sp => Get<ILogRetentionSettings>(sp).SetMonthsAsync(months == 12 ? 13 : 12));
        },
        // Maintenance mode: always left off again, the other scenarios use the API.
        ["IMaintenanceSwitch.TurnOnAsync"] = async s =>
        {
            var admin = await s.App.AdministratorAsync();
            try
            {
                Ok(await s.CallAsync(sp => Get<IMaintenanceSwitch>(sp).TurnOnAsync(MaintenanceReasons.Manual, null, null, CancellationToken.None)));
            }
            finally
            {
                await s.App.WithScopeAsync(sp => Get<IMaintenanceSwitch>(sp).TurnOffAsync(admin, CancellationToken.None));
            }
        },
        ["IMaintenanceSwitch.TurnOffAsync"] = async s =>
        {
            var admin = await s.App.AdministratorAsync();
            Ok(await s.App.WithScopeAsync(sp => Get<IMaintenanceSwitch>(sp).TurnOnAsync(MaintenanceReasons.Manual, null, admin, CancellationToken.None)));
            Ok(await s.CallAsync(sp => Get<IMaintenanceSwitch>(sp).TurnOffAsync(null, CancellationToken.None)));
        },
        // Full restore: requests are withdrawn again (one at a time); a confirmation here is the requester's own, refused
        // and audited, so no restore runs under the other scenarios (the round trip is FullRestoreTests).
        ["IFullRestoreService.RequestAsync"] = async s =>
        {
            var generation = await GenerationAsync(s);
            var run = await s.CallAsync(sp => Get<IFullRestoreService>(sp).RequestAsync(generation, generation, CancellationToken.None));
            Ok(run);
            await WithdrawAsync(s, run.Value!.Id);
        },
        ["IFullRestoreService.ConfirmAsync"] = async s =>
        {
            var run = await RequestRestoreAsync(s);
            await s.CallAsync(sp => Get<IFullRestoreService>(sp).ConfirmAsync(run, CancellationToken.None));
            await WithdrawAsync(s, run);
        },
        ["IFullRestoreService.RejectAsync"] = async s =>
        {
            var run = await RequestRestoreAsync(s);
            Ok(await s.CallAsync(sp => Get<IFullRestoreService>(sp).RejectAsync(run, CancellationToken.None)));
        },
        ["IAuditReviewSettingsStore.SaveAsync"] = async s =>
        {
            var settings = (await s.App.WithScopeAsync(async sp => await Get<IAuditReviewSettingsStore>(sp).GetAsync())).Clone();
            settings.DeletionThreshold++;
            Ok(await s.CallAsync(sp => Get<IAuditReviewSettingsStore>(sp).SaveAsync(settings)));
        },
        ["IBackupService.BackUpAsync"] = async s =>
        {
            // "Back up now" (its own scenario) may still be running in the job worker: wait for it rather than be refused.
            await Eventually.GetAsync(
                () => s.App.WithScopeAsync(sp => Get<Kuroco.Core.Backups.IBackupRunReader>(sp).RecentAsync(1, CancellationToken.None)),
                runs => runs.All(r => !r.IsActive), "no backup runs", TimeSpan.FromSeconds(60));
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Backups.IBackupService>(sp).BackUpAsync(Kuroco.Core.Backups.BackupTrigger.Manual, null, CancellationToken.None)));
        },
        ["IBackupRunner.StartNowAsync"] = async s =>
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Backups.IBackupRunner>(sp).StartNowAsync(CancellationToken.None))),
        ["IBackupSettingsStore.SaveAsync"] = async s =>
        {
            var settings = await s.App.WithScopeAsync(async sp => await Get<Kuroco.Core.Backups.IBackupSettingsStore>(sp).GetAsync());
            settings.Retention = settings.Retention == 7 ? 8 : 7;
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Backups.IBackupSettingsStore>(sp).SaveAsync(settings)));
        },
        ["IBackupDrills.RequestAsync"] = async s =>
        {
            await Eventually.GetAsync(
                () => s.App.WithScopeAsync(sp => Get<Kuroco.Core.Backups.IBackupRunReader>(sp).RecentAsync(1, CancellationToken.None)),
                runs => runs.All(r => !r.IsActive), "no backup runs", TimeSpan.FromSeconds(60));
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Backups.IBackupService>(sp).BackUpAsync(Kuroco.Core.Backups.BackupTrigger.Manual, null, CancellationToken.None)));
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Backups.IBackupDrills>(sp).RequestAsync(CancellationToken.None)));
        },
        ["IJobsConsole.RetryAsync"] = async s =>
        {
            var jobId = await s.App.WithScopeAsync(sp => Task.FromResult(Hangfire.BackgroundJobClientExtensions.Create(Get<Hangfire.IBackgroundJobClient>(sp),
                () => Kuroco.Tests.Integration.Jobs.FailingTestJob.Fail("coverage"), new Hangfire.States.FailedState(new InvalidOperationException("coverage")))));
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Jobs.IJobsConsole>(sp).RetryAsync(jobId, CancellationToken.None)));
        },
        ["IJobsConsole.TriggerAsync"] = async s =>
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Jobs.IJobsConsole>(sp).TriggerAsync("webhook-delivery-cleanup", CancellationToken.None))),
        ["IAuditReviewService.RequestPreparationAsync"] = async s =>
        {
            var month = PreviousMonth(s.App);
            Ok(await s.CallAsync(sp => Get<IAuditReviewService>(sp).RequestPreparationAsync(month)));
        },
        ["IAuditReviewService.DecideAsync"] = async s =>
        {
            var review = await PreparedReviewWithFindingAsync(s);
            var finding = review.Findings.First(f => f.Decision == AuditFindingDecision.Open);
            Ok(await s.CallAsync(sp => Get<IAuditReviewService>(sp).DecideAsync(finding.Id, AuditFindingDecision.Acknowledged, "Planned change.")));
        },
        ["IAuditReviewService.SignOffAsync"] = async s =>
        {
            var review = await PreparedReviewWithFindingAsync(s);
            foreach (var finding in review.Findings)
            {
                Ok(await s.App.WithScopeAsync(sp => Get<IAuditReviewService>(sp).DecideAsync(finding.Id, AuditFindingDecision.Acknowledged, "Planned change.")));
            }
            Ok(await s.CallAsync(sp => Get<IAuditReviewService>(sp).SignOffAsync(review.Id)));
        },
        ["IAuditRetentionStore.SaveAsync"] = async s =>
        {
            var current = await s.App.WithScopeAsync(sp => Get<IAuditRetentionStore>(sp).GetAsync());
            Ok(await s.CallAsync(sp => Get<IAuditRetentionStore>(sp).SaveAsync(new AuditRetentionSettings(current.RetentionMonths == 12 ? 13 : 12))));
        },
        ["IAuditRetentionPurge.PurgeAsync"] = async s =>
        {
            // Something older than the retention period: the log's first entries, once the clock has moved past it.
            var retention = await s.App.WithScopeAsync(sp => Get<IAuditRetentionStore>(sp).GetAsync());
            await s.App.WithScopeAsync(sp => Get<IMailSender>(sp).SendAsync(new MailMessage("purge@test.local", null, "Old", "Old")));
            s.App.Clock.Advance(TimeSpan.FromDays(31 * (retention.RetentionMonths + 1)));
            await s.App.WithScopeAsync(sp => Get<IMailSender>(sp).SendAsync(new MailMessage("purge@test.local", null, "New", "New")));
            await s.CallAsync(sp => Get<IAuditRetentionPurge>(sp).PurgeAsync());
        },
        ["IAuditVerificationRuns.StartAsync"] = s => s.CallAsync(sp => Get<IAuditVerificationRuns>(sp).StartAsync()),

        // Sign-in
        ["ISignInService.PasswordSignInAsync"] = async s =>
        {
            var (email, _) = await StaffAsync(s);
            await s.CallAsync(sp => Get<ISignInService>(sp).PasswordSignInAsync(email, KurocoAppFactory.StaffPassword, rememberMe: false));
        },
        ["ISignInService.AuthenticatorCodeSignInAsync"] = async s =>
        {
            var (cookies, _) = await SecondStepPendingAsync(s);
            await s.CallAsync(sp => Get<ISignInService>(sp).AuthenticatorCodeSignInAsync("000000", rememberMe: false), cookies);
        },
        ["ISignInService.RecoveryCodeSignInAsync"] = async s =>
        {
            var (cookies, codes) = await SecondStepPendingAsync(s);
            await s.CallAsync(sp => Get<ISignInService>(sp).RecoveryCodeSignInAsync(codes[0]), cookies);
        },
        ["ISignInService.PasskeySignInAsync"] = s => s.CallAsync(sp => Get<ISignInService>(sp).PasskeySignInAsync("{\"id\":\"AQID\",\"response\":{}}")),
        ["ISignInService.SignOutAsync"] = async s =>
        {
            var (_, id) = await StaffAsync(s);
            await s.CallAsync(sp => Get<ISignInService>(sp).SignOutAsync(id));
        },

        // Audit retention and verification are above; staff
        ["IStaffService.CreateAsync"] = s => s.CallAsync(async sp => Ok(await Get<IStaffService>(sp).CreateAsync(new CreateStaffRequest
        {
            Email = $"created-{Unique()}@test.local",
            DisplayName = "Created",
            Roles = [StaffRoles.ContentEditor],
        }))),
        ["IStaffService.UpdateAsync"] = async s =>
        {
            var (_, id) = await StaffAsync(s);
            Ok(await s.CallAsync(sp => Get<IStaffService>(sp).UpdateAsync(id, new UpdateStaffRequest { DisplayName = "Renamed", Roles = [StaffRoles.Operator] })));
        },
        ["IStaffService.SetEnabledAsync"] = async s =>
        {
            var (_, id) = await StaffAsync(s);
            Ok(await s.CallAsync(sp => Get<IStaffService>(sp).SetEnabledAsync(id, enabled: false)));
        },
        ["IStaffService.UnlockAsync"] = async s =>
        {
            var (_, id) = await StaffAsync(s);
            await s.App.UpdateStaffAsync(id, u => u.LockoutEnd = s.App.Clock.GetUtcNow().AddYears(1));
            Ok(await s.CallAsync(sp => Get<IStaffService>(sp).UnlockAsync(id)));
        },
        ["IStaffService.ForcePasswordChangeAsync"] = async s =>
        {
            var (_, id) = await StaffAsync(s);
            Ok(await s.CallAsync(sp => Get<IStaffService>(sp).ForcePasswordChangeAsync(id)));
        },
        ["IStaffService.UpdateProfileAsync"] = async s =>
        {
            var (email, id) = await StaffAsync(s);
            s.Actor = new AuditActor(id, email, [StaffRoles.ContentEditor]);
            Ok(await s.CallAsync(sp => Get<IStaffService>(sp).UpdateProfileAsync(id, new UpdateProfileRequest { DisplayName = "Me " + Unique(), TimeZoneId = "Asia/Tokyo" })));
        },
        ["IStaffService.SetLanguageAsync"] = async s =>
        {
            var (email, id) = await StaffAsync(s);
            s.Actor = new AuditActor(id, email, [StaffRoles.ContentEditor]);
            Ok(await s.CallAsync(sp => Get<IStaffService>(sp).SetLanguageAsync(id, StaffLanguages.Japanese)));
        },
        ["IStaffService.SignOutEverywhereAsync"] = async s =>
        {
            var (_, id) = await StaffAsync(s);
            Ok(await s.CallAsync(sp => Get<IStaffService>(sp).SignOutEverywhereAsync(id)));
        },

        // Security settings
        ["IIpAllowlistService.SaveAsync"] = async s =>
        {
            Ok(await s.CallAsync(sp => Get<IIpAllowlistService>(sp).SaveAsync(IpAllowlistKind.Api, [new IpAllowlistEntry("0.0.0.0/0", "coverage"), new IpAllowlistEntry("::/0", "coverage")])));
            Ok(await s.App.WithScopeAsync(sp => Get<IIpAllowlistService>(sp).SaveAsync(IpAllowlistKind.Api, [])));
        },
        ["IPasswordPolicyStore.SaveAsync"] = async s =>
        {
            var policy = (await s.App.WithScopeAsync(sp => Get<IPasswordPolicyStore>(sp).GetAsync())).Clone();
            policy.ExpiryWarningDays = policy.ExpiryWarningDays == 14 ? 15 : 14;
            Ok(await s.CallAsync(sp => Get<IPasswordPolicyStore>(sp).SaveAsync(policy)));
        },
        ["IMemberPasswordPolicyStore.SaveAsync"] = async s =>
        {
            var policy = (await s.App.WithScopeAsync(sp => Get<IMemberPasswordPolicyStore>(sp).GetAsync())).Clone();
            policy.ExpiryWarningDays = policy.ExpiryWarningDays == 14 ? 15 : 14;
            Ok(await s.CallAsync(sp => Get<IMemberPasswordPolicyStore>(sp).SaveAsync(policy)));
        },
        ["ISessionPolicyStore.SaveAsync"] = async s =>
        {
            var policy = (await s.App.WithScopeAsync(async sp => await Get<ISessionPolicyStore>(sp).GetAsync())).Clone();
            policy.IdleTimeoutMinutes = policy.IdleTimeoutMinutes == 30 ? 31 : 30;
            Ok(await s.CallAsync(sp => Get<ISessionPolicyStore>(sp).SaveAsync(policy)));
        },

        // API keys
        ["IApiKeyService.CreateAsync"] = s => s.CallAsync(async sp => Ok(await Get<IApiKeyService>(sp).CreateAsync(new CreateApiKeyRequest { Name = "Coverage " + Unique() }))),
        ["IApiKeyService.RevokeAsync"] = async s =>
        {
            var key = await s.App.WithScopeAsync(async sp => Ok(await Get<IApiKeyService>(sp).CreateAsync(new CreateApiKeyRequest { Name = "Coverage " + Unique() })));
            Ok(await s.CallAsync(sp => Get<IApiKeyService>(sp).RevokeAsync(key.Key.Id)));
        },

        // Webhooks
        ["IWebhookService.CreateAsync"] = s => s.CallAsync(async sp => Ok(await Get<IWebhookService>(sp).CreateAsync(WebhookRequest()))),
        ["IWebhookService.UpdateAsync"] = async s =>
        {
            var id = await WebhookAsync(s);
            var request = WebhookRequest();
            request.Name = "Renamed " + Unique();
            Ok(await s.CallAsync(sp => Get<IWebhookService>(sp).UpdateAsync(id, request)));
        },
        ["IWebhookService.SetEnabledAsync"] = async s =>
        {
            var id = await WebhookAsync(s);
            Ok(await s.CallAsync(sp => Get<IWebhookService>(sp).SetEnabledAsync(id, enabled: false)));
        },
        ["IWebhookService.DeleteAsync"] = async s =>
        {
            var id = await WebhookAsync(s);
            Ok(await s.CallAsync(sp => Get<IWebhookService>(sp).DeleteAsync(id)));
        },
        ["IWebhookService.RotateSecretAsync"] = async s =>
        {
            var id = await WebhookAsync(s);
            Ok(await s.CallAsync(sp => Get<IWebhookService>(sp).RotateSecretAsync(id)));
        },
        ["IWebhookService.SendTestAsync"] = async s =>
        {
            var id = await WebhookAsync(s);
            Ok(await s.CallAsync(sp => Get<IWebhookService>(sp).SendTestAsync(id)));
        },
        ["IWebhookService.RedeliverAsync"] = async s =>
        {
            var id = await WebhookAsync(s);
            var delivery = await FailedDeliveryAsync(s, id);
            Ok(await s.CallAsync(sp => Get<IWebhookService>(sp).RedeliverAsync(delivery)));
        },
        ["IWebhookService.SaveAllowedHostsAsync"] = s => s.CallAsync(async sp =>
            Ok(await Get<IWebhookService>(sp).SaveAllowedHostsAsync([new WebhookAllowedHostEntry("hooks-" + Unique() + ".internal", "coverage")]))),

        // Media
        ["IMediaLibrary.UploadAsync"] = s => s.CallAsync(async sp =>
        {
            using var png = new MemoryStream(MediaSamples.Png(4, 4));
            return Ok(await Get<IMediaLibrary>(sp).UploadAsync(png, "coverage.png"));
        }),
        ["IMediaLibrary.UpdateDetailsAsync"] = async s =>
        {
            var media = await MediaAsync(s);
            Ok(await s.CallAsync(sp => Get<IMediaLibrary>(sp).UpdateDetailsAsync(media, new MediaDetails("代替", "Alt", "題", "Title"))));
        },
        ["IMediaLibrary.DeleteAsync"] = async s =>
        {
            var media = await MediaAsync(s);
            Ok(await s.CallAsync(sp => Get<IMediaLibrary>(sp).DeleteAsync(media, confirmedDespiteUsages: true)));
        },

        // Mail
        ["IMailSender.SendAsync"] = s => s.CallAsync(sp => Get<IMailSender>(sp).SendAsync(new MailMessage("coverage@test.local", null, "Coverage", "Hello"))),

        // Content
        ["IContentTypeService.SaveAsync"] = s => s.CallAsync(async sp => Ok(await Get<IContentTypeService>(sp).SaveAsync(NewType()))),
        ["IContentTypeService.DeleteAsync"] = async s =>
        {
            var type = await TypeAsync(s);
            Ok(await s.CallAsync(sp => Get<IContentTypeService>(sp).DeleteAsync(type.Id)));
        },
        ["IContentItemService.SaveDraftAsync"] = async s =>
        {
            var type = await TypeAsync(s);
            await s.CallAsync(async sp => Ok(await Get<IContentItemService>(sp).SaveDraftAsync(ItemInput(type))));
        },
        ["IContentItemService.DuplicateAsync"] = async s =>
        {
            var item = await ItemAsync(s, await TypeAsync(s));
            Ok(await s.CallAsync(sp => Get<IContentItemService>(sp).DuplicateAsync(item.Id)));
        },
        ["IContentPublishingService.PublishAsync"] = async s =>
        {
            var item = await ItemAsync(s, await TypeAsync(s));
            Ok(await s.CallAsync(sp => Get<IContentPublishingService>(sp).PublishAsync(new ContentItemRef(item.Id))));
        },
        ["IContentPublishingService.SaveAndPublishAsync"] = async s =>
        {
            var type = await TypeAsync(s);
            Ok(await s.CallAsync(sp => Get<IContentPublishingService>(sp).SaveAndPublishAsync(ItemInput(type))));
        },
        ["IContentPublishingService.UnpublishAsync"] = async s =>
        {
            var item = await PublishedItemAsync(s);
            Ok(await s.CallAsync(sp => Get<IContentPublishingService>(sp).UnpublishAsync(new ContentItemRef(item.Id))));
        },
        ["IContentPublishingService.ArchiveAsync"] = async s =>
        {
            var item = await PublishedItemAsync(s);
            Ok(await s.CallAsync(sp => Get<IContentPublishingService>(sp).ArchiveAsync(new ContentItemRef(item.Id))));
        },
        ["IContentPublishingService.ScheduleAsync"] = async s =>
        {
            var item = await ItemAsync(s, await TypeAsync(s));
            var at = s.App.Clock.GetUtcNow().UtcDateTime.AddHours(1);
            Ok(await s.CallAsync(sp => Get<IContentPublishingService>(sp).ScheduleAsync(new ContentItemRef(item.Id), at, null)));
        },
        ["IContentPublishingService.RunDueAsync"] = async s =>
        {
            var item = await ItemAsync(s, await TypeAsync(s));
            var at = s.App.Clock.GetUtcNow().UtcDateTime.AddMinutes(5);
            Ok(await s.App.WithScopeAsync(sp => Get<IContentPublishingService>(sp).ScheduleAsync(new ContentItemRef(item.Id), at, null)));
            s.App.Clock.Advance(TimeSpan.FromMinutes(10));
            await s.CallAsync(sp => Get<IContentPublishingService>(sp).RunDueAsync());
        },
        ["IContentTrashService.DeleteAsync"] = async s =>
        {
            var item = await ItemAsync(s, await TypeAsync(s));
            Ok(await s.CallAsync(sp => Get<IContentTrashService>(sp).DeleteAsync(new ContentItemRef(item.Id))));
        },
        ["IContentTrashService.RestoreAsync"] = async s =>
        {
            var item = await TrashedItemAsync(s);
            Ok(await s.CallAsync(sp => Get<IContentTrashService>(sp).RestoreAsync(item.Id)));
        },
        ["IContentTrashService.PurgeExpiredAsync"] = async s =>
        {
            await TrashedItemAsync(s);
            s.App.Clock.Advance(TimeSpan.FromDays(31));
            await s.CallAsync(sp => Get<IContentTrashService>(sp).PurgeExpiredAsync());
        },
        ["IContentVersionService.RestoreAsync"] = async s =>
        {
            var type = await TypeAsync(s);
            var item = await ItemAsync(s, type);
            var input = ItemInput(type);
            input.Id = item.Id;
            input.Slug = item.Slug;
            input.ConcurrencyToken = item.ConcurrencyToken;
            Ok(await s.App.WithScopeAsync(sp => Get<IContentItemService>(sp).SaveDraftAsync(input)));
            Ok(await s.CallAsync(sp => Get<IContentVersionService>(sp).RestoreAsync(item.Id, 1)));
        },
        ["IScopedRestoreService.ApplyAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync("Coverage " + Unique());
            await using var snapshot = await CopiedBackupSnapshot.TakeAsync(s.App);
            await s.App.WithScopeAsync(async sp =>
            {
                var db = Get<KurocoDbContext>(sp);
                db.Members.Remove((await db.Members.FindAsync(member.Id))!);
                await db.SaveChangesAsync();
            });
            var scope = new Kuroco.Core.Backups.RestoreScope([new(Kuroco.Core.Backups.RestoreTargetKind.Member, member.Id.ToString())]);
            var preview = Ok(await s.App.WithScopeAsync(sp => Get<Kuroco.Core.Backups.IScopedRestoreService>(sp).PreviewAsync(snapshot, scope, CancellationToken.None)));
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Backups.IScopedRestoreService>(sp).ApplyAsync(snapshot, preview,
                new Dictionary<string, Kuroco.Core.Backups.ConflictResolution>(), "RR-2026-9999", CancellationToken.None)));
        },
        ["IContentReviewService.SubmitAsync"] = async s =>
        {
            var item = await ItemAsync(s, await TypeAsync(s, requiresApproval: true));
            Ok(await s.CallAsync(sp => Get<IContentReviewService>(sp).SubmitAsync(item.Id, "Please check")));
        },
        ["IContentReviewService.ApproveAsync"] = async s =>
        {
            var item = await SubmittedItemAsync(s);
            Ok(await s.CallAsync(sp => Get<IContentReviewService>(sp).ApproveAsync(item.Id, "Fine")));
        },
        ["IContentReviewService.RejectAsync"] = async s =>
        {
            var item = await SubmittedItemAsync(s);
            Ok(await s.CallAsync(sp => Get<IContentReviewService>(sp).RejectAsync(item.Id, "Not yet")));
        },

        // Members: their own account
        ["IMemberRegistration.RegisterAsync"] = s => s.CallAsync(async sp => Ok(await Get<IMemberRegistration>(sp).RegisterAsync(
            new MemberRegistrationRequest($"reg-{Unique()}@example.jp", MemberAccountApiFactory.MemberPassword, "登録 太郎", MemberLanguages.Japanese)))),
        ["IMemberRegistration.VerifyAsync"] = async s =>
        {
            var email = $"verify-{Unique()}@example.jp";
            Ok(await s.App.WithScopeAsync(sp => Get<IMemberRegistration>(sp).RegisterAsync(
                new MemberRegistrationRequest(email, MemberAccountApiFactory.MemberPassword, "確認 花子", MemberLanguages.Japanese))));
            var (_, token) = await s.App.WaitForLinkAsync(email, "/members/verify");
            Ok(await s.CallAsync(sp => Get<IMemberRegistration>(sp).VerifyAsync(token, null)));
        },
        ["IMemberSessions.LogoutAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            var tokens = await s.App.WithScopeAsync(sp => Get<IMemberSessions>(sp).IssueAsync(member, persistent: false));
            await s.CallAsync(sp => Get<IMemberSessions>(sp).LogoutAsync(tokens.RefreshToken));
        },
        ["IMemberSelfService.UpdateAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            Ok(await s.CallAsync(sp => Get<IMemberSelfService>(sp).UpdateAsync(member.Id, new MemberProfileChange("新しい 名前", null, null, null))));
        },
        ["IMemberSelfService.ChangePasswordAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            Ok(await s.CallAsync(sp => Get<IMemberSelfService>(sp).ChangePasswordAsync(member.Id, MemberAccountApiFactory.MemberPassword, "Kaze3-Tsuki-Hoshi!55w", rememberMe: false)));
        },
        ["IMemberPasswordReset.RequestAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            await s.CallAsync(sp => Get<IMemberPasswordReset>(sp).RequestAsync(member.Email));
        },
        ["IMemberPasswordReset.ResetAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            await s.App.WithScopeAsync(sp => Get<IMemberPasswordReset>(sp).RequestAsync(member.Email));
            var (_, token) = await s.App.WaitForLinkAsync(member.Email, "/members/reset-password");
            Ok(await s.CallAsync(sp => Get<IMemberPasswordReset>(sp).ResetAsync(token, "Kaze3-Tsuki-Hoshi!55w")));
        },

        // Members: the console
        ["IMemberAdministration.UpdateProfileAsync"] = async s =>
        {
            var detail = await MemberDetailAsync(s);
            var edit = MemberProfileEdit.From(detail, []);
            edit.DisplayName = "編集 済み";
            Ok(await s.CallAsync(sp => Get<IMemberAdministration>(sp).UpdateProfileAsync(edit)));
        },
        ["IMemberAdministration.SetGroupsAsync"] = async s =>
        {
            var detail = await MemberDetailAsync(s);
            var group = await s.App.AddGroupAsync();
            Ok(await s.CallAsync(sp => Get<IMemberAdministration>(sp).SetGroupsAsync(detail.Id, [group.Id], detail.ConcurrencyToken)));
        },
        ["IMemberAdministration.SuspendAsync"] = async s =>
        {
            var detail = await MemberDetailAsync(s);
            Ok(await s.CallAsync(sp => Get<IMemberAdministration>(sp).SuspendAsync(detail.Id, detail.ConcurrencyToken)));
        },
        ["IMemberAdministration.ReactivateAsync"] = async s =>
        {
            var detail = await MemberDetailAsync(s, MemberStatus.Suspended);
            Ok(await s.CallAsync(sp => Get<IMemberAdministration>(sp).ReactivateAsync(detail.Id, detail.ConcurrencyToken)));
        },
        ["IMemberAdministration.UnlockAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            await s.App.ChangeMemberAsync(member.Id, m =>
            {
                m.LockoutEndUtc = s.App.Clock.GetUtcNow().UtcDateTime.AddYears(1);
                m.AccessFailedCount = 5;
            });
            Ok(await s.CallAsync(sp => Get<IMemberAdministration>(sp).UnlockAsync(member.Id)));
        },
        ["IMemberAdministration.SignOutEverywhereAsync"] = async s =>
        {
            var detail = await MemberDetailAsync(s);
            Ok(await s.CallAsync(sp => Get<IMemberAdministration>(sp).SignOutEverywhereAsync(detail.Id, detail.ConcurrencyToken)));
        },
        ["IMemberAdministration.DeleteAsync"] = async s =>
        {
            var detail = await MemberDetailAsync(s);
            Ok(await s.CallAsync(sp => Get<IMemberAdministration>(sp).DeleteAsync(detail.Id, detail.ConcurrencyToken)));
        },
        ["IMemberBulkActions.AddToGroupAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            var group = await s.App.AddGroupAsync();
            Ok(await s.CallAsync(sp => Get<IMemberBulkActions>(sp).AddToGroupAsync(MemberSelection.Of([member.Id]), group.Id)));
        },
        ["IMemberBulkActions.SuspendAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            Ok(await s.CallAsync(sp => Get<IMemberBulkActions>(sp).SuspendAsync(MemberSelection.Of([member.Id]))));
        },
        ["IMemberGroupService.CreateAsync"] = s => s.CallAsync(async sp => Ok(await Get<IMemberGroupService>(sp).CreateAsync(
            new MemberGroupInput { NameJa = "グループ" + Unique(), NameEn = "Group " + Unique() }))),
        ["IMemberGroupService.RenameAsync"] = async s =>
        {
            var group = await s.App.AddGroupAsync();
            Ok(await s.CallAsync(sp => Get<IMemberGroupService>(sp).RenameAsync(group.Id,
                new MemberGroupInput { NameJa = "改名" + Unique(), NameEn = "Renamed " + Unique() }, group.ConcurrencyToken)));
        },
        ["IMemberGroupService.DeleteAsync"] = async s =>
        {
            var group = await s.App.AddGroupAsync();
            Ok(await s.CallAsync(sp => Get<IMemberGroupService>(sp).DeleteAsync(group.Id, MemberGroupDeletion.OnlyIfEmpty, group.ConcurrencyToken)));
        },
        ["IMemberRegistrationSettingsStore.SaveAsync"] = async s =>
        {
            var settings = (await s.App.WithScopeAsync(sp => Get<IMemberRegistrationSettingsStore>(sp).GetAsync())).Clone();
            settings.InvitationLinkHours = settings.InvitationLinkHours == 72 ? 73 : 72;
            Ok(await s.CallAsync(sp => Get<IMemberRegistrationSettingsStore>(sp).SaveAsync(settings)));
        },
        ["IMemberProfileSchemaStore.SaveAsync"] = async s =>
        {
            var schema = await s.App.WithScopeAsync(sp => Get<IMemberProfileSchemaStore>(sp).GetAsync());
            var key = "f" + Unique();
            schema.Fields = [.. schema.Fields, new FieldDefinition { Key = key, LabelEn = "Field " + key, LabelJa = "項目 " + key, Kind = FieldKind.ShortText }];
            Ok(await s.CallAsync(sp => Get<IMemberProfileSchemaStore>(sp).SaveAsync(schema)));
        },
        ["IMemberDataRequests.ExportAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            Ok(await s.CallAsync(sp => Get<IMemberDataRequests>(sp).ExportAsync(member.Id)));
        },
        ["IMemberDataRequests.EraseAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            Ok(await s.CallAsync(sp => Get<IMemberDataRequests>(sp).EraseAsync(member.Id, member.Email)));
        },
        // Restore requests
        ["IRestoreRequestService.CreateAsync"] = async s =>
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).CreateAsync(RestoreRequestScenarios.Intake(RestoreRequestScenarios.Now(s.App))))),
        ["IRestoreRequestService.QuoteAsync"] = async s =>
        {
            var reference = await RestoreRequestScenarios.ReceivedAsync(s.App);
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).QuoteAsync(reference, RestoreRequestScenarios.Quote(RestoreRequestScenarios.Now(s.App)), new Uri("http://localhost/"))));
        },
        ["IRestoreRequestService.ApproveByPhoneAsync"] = async s =>
        {
            var reference = await RestoreRequestScenarios.QuotedAsync(s.App);
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).ApproveByPhoneAsync(reference, "Approved on the phone.")));
        },
        ["IRestoreRequestService.ApproveByLinkAsync"] = async s =>
        {
            var reference = await RestoreRequestScenarios.QuotedAsync(s.App);
            var token = await RestoreRequestScenarios.KnownTokenAsync(s.App, reference);
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).ApproveByLinkAsync(token)));
        },
        ["IRestoreRequestService.DeclineAsync"] = async s =>
        {
            var reference = await RestoreRequestScenarios.QuotedAsync(s.App);
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).DeclineAsync(reference, "Too expensive.")));
        },
        ["IRestoreRequestService.WithdrawAsync"] = async s =>
        {
            var reference = await RestoreRequestScenarios.QuotedAsync(s.App);
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).WithdrawAsync(reference, "The customer withdrew the request.")));
        },
        ["IRestoreRequestService.StartExtractionAsync"] = async s =>
        {
            var reference = await RestoreRequestScenarios.QuotedAsync(s.App);
            Ok(await RestoreRequestScenarios.AsStaffAsync(s.App, sp => Get<IRestoreRequestService>(sp).ApproveByPhoneAsync(reference, "yes")));
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).StartExtractionAsync(reference, "20261205T170000Z-cove")));
        },
        ["IRestoreRequestService.StartApplyAsync"] = async s =>
        {
            var reference = await RestoreRequestScenarios.ExtractedAsync(s.App);
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).StartApplyAsync(reference, new Dictionary<string, ConflictResolution>())));
        },
        ["IRestoreRequestService.SaveSettingsAsync"] = async s =>
        {
            var current = await s.App.WithScopeAsync(sp => Get<IRestoreRequestService>(sp).GetSettingsAsync());
            Ok(await s.CallAsync(sp => Get<IRestoreRequestService>(sp).SaveSettingsAsync(
                new RestoreRequestSettings { FeeJpy = current.FeeJpy + 1, ApprovalLinkDays = current.ApprovalLinkDays })));
        },
        ["IMemberExportService.ExportAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            using var output = new MemoryStream();
            Ok(await s.CallAsync(sp => Get<IMemberExportService>(sp).ExportAsync(new MemberListFilter(Search: member.Email), MemberExportFormat.Csv, CsvEncoding.Utf8, output)));
        },
        ["IMemberImportService.UploadAsync"] = s => s.CallAsync(async sp =>
        {
            using var csv = ImportCsv();
            return Ok(await Get<IMemberImportService>(sp).UploadAsync(csv, "members.csv"));
        }),
        ["IMemberImportService.StartDryRunAsync"] = async s =>
        {
            var import = await ImportAsync(s);
            Ok(await s.CallAsync(sp => Get<IMemberImportService>(sp).StartDryRunAsync(import.Id, import.Settings)));
        },
        ["IMemberImportService.StartApplyAsync"] = async s =>
        {
            var import = await CheckedImportAsync(s);
            Ok(await s.CallAsync(sp => Get<IMemberImportService>(sp).StartApplyAsync(import.Id)));
        },
        ["IMemberImportService.DiscardAsync"] = async s =>
        {
            var import = await ImportAsync(s);
            Ok(await s.CallAsync(sp => Get<IMemberImportService>(sp).DiscardAsync(import.Id)));
        },
        ["IMemberAccountActions.SendPasswordResetAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            Ok(await s.CallAsync(sp => Get<IMemberAccountActions>(sp).SendPasswordResetAsync(member.Id)));
        },
        ["IMemberAccountActions.ResendVerificationAsync"] = async s =>
        {
            var member = await s.App.AddMemberAsync(MemberStatus.PendingVerification);
            Ok(await s.CallAsync(sp => Get<IMemberAccountActions>(sp).ResendVerificationAsync(member.Id)));
        },
        ["IMemberAccountActions.InviteAsync"] = s => s.CallAsync(async sp => Ok(await Get<IMemberAccountActions>(sp).InviteAsync(
            new MemberInvitation($"invited-{Unique()}@example.jp", "招待 一郎", MemberLanguages.Japanese, [])))),
        // Incidents
        ["IIncidentService.CreateAsync"] = s => s.CallAsync(async sp => Ok(await Get<Kuroco.Core.Incidents.IIncidentService>(sp).CreateAsync(IncidentRequest()))),
        ["IIncidentService.AdvanceAsync"] = async s =>
        {
            var id = await IncidentAsync(s);
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Incidents.IIncidentService>(sp).AdvanceAsync(id, Kuroco.Core.Incidents.IncidentStep.Confirmed)));
        },
        ["IIncidentService.ClassifyAsync"] = async s =>
        {
            var id = await IncidentAsync(s);
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Incidents.IIncidentService>(sp).ClassifyAsync(id, new Kuroco.Core.Incidents.ClassifyIncidentRequest(
                "Coverage incident", "Service disruption", "Pages fail.", Kuroco.Core.Monitoring.AlertSeverity.Critical,
                Kuroco.Core.Incidents.IncidentCause.Network, [Kuroco.Core.Incidents.StatusComponents.Console], "ACME", null))));
        },
        ["IIncidentService.AddNoteAsync"] = async s =>
        {
            var id = await IncidentAsync(s);
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Incidents.IIncidentService>(sp).AddNoteAsync(id, new Kuroco.Core.Incidents.AddIncidentNoteRequest("Looking into it.", false, false))));
        },
        ["INoticeContactService.CreateAsync"] = s => s.CallAsync(async sp => Ok(await Get<Kuroco.Core.Incidents.INoticeContactService>(sp).CreateAsync(ContactRequest()))),
        ["INoticeContactService.UpdateAsync"] = async s =>
        {
            var id = await NoticeContactAsync(s);
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Incidents.INoticeContactService>(sp).UpdateAsync(id, ContactRequest() with { Name = "Renamed" })));
        },
        ["INoticeContactService.DeleteAsync"] = async s =>
        {
            var id = await NoticeContactAsync(s);
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Incidents.INoticeContactService>(sp).DeleteAsync(id)));
        },
        // SLA
        ["ISlaService.SaveSettingsAsync"] = async s =>
        {
            var settings = await s.App.WithScopeAsync(sp => Get<Kuroco.Core.Sla.ISlaService>(sp).GetSettingsAsync());
            settings.TargetPercent = settings.TargetPercent == 99.9m ? 99.95m : 99.9m;
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Sla.ISlaService>(sp).SaveSettingsAsync(settings)));
        },
        ["ISlaService.ScheduleMaintenanceAsync"] = s => s.CallAsync(async sp => Ok(await Get<Kuroco.Core.Sla.ISlaService>(sp).ScheduleMaintenanceAsync(MaintenanceRequest(sp)))),
        ["ISlaService.UpdateMaintenanceAsync"] = async s =>
        {
            var id = await MaintenanceWindowAsync(s);
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Sla.ISlaService>(sp).UpdateMaintenanceAsync(id, MaintenanceRequest(sp) with { TitleEn = "Renamed" })));
        },
        ["ISlaService.CancelMaintenanceAsync"] = async s =>
        {
            var id = await MaintenanceWindowAsync(s);
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Sla.ISlaService>(sp).CancelMaintenanceAsync(id)));
        },
        ["INoticeContactService.UnsubscribeAsync"] = async s =>
        {
            var token = await UnsubscribeTokenAsync(s);
            Ok(await s.CallAsync(sp => Get<Kuroco.Core.Incidents.INoticeContactService>(sp).UnsubscribeAsync(token)));
        },
    };

    /// <summary>
    /// How to call each state-changing endpoint through the real HTTP pipeline with a valid request, keyed like
    /// AuditCoverageTests.Endpoints ("METHOD route"). The request is sent inside <see cref="AuditScenario.HttpAsync"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, Func<AuditScenario, Task>> Endpoints { get; } = new Dictionary<string, Func<AuditScenario, Task>>(StringComparer.Ordinal)
    {
        ["POST /account/logout"] = s => StaffFormPostAsync(s, "/account/logout"),
        ["POST /account/sign-out-everywhere"] = s => StaffFormPostAsync(s, "/account/sign-out-everywhere"),
        ["POST /media/upload"] = async s =>
        {
            var (client, token) = await MediaHttp.SignInWithTokenAsync(s.App, s.App.CreateBrowserLikeClient(), StaffRoles.ContentEditor);
            await Expect(HttpStatusCode.Created, s.HttpAsync(() => MediaHttp.UploadAsync(client, token, MediaSamples.Png(4, 4), "coverage.png")));
        },
        ["DELETE /media/{id:guid}"] = async s =>
        {
            var (client, token) = await MediaHttp.SignInWithTokenAsync(s.App, s.App.CreateBrowserLikeClient(), StaffRoles.ContentEditor);
            var id = await MediaAsync(s);
            await Expect(HttpStatusCode.NoContent, s.HttpAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Delete, $"/media/{id}?confirm=true");
                request.Headers.Add("RequestVerificationToken", token);
                return client.SendAsync(request);
            }));
        },
        ["POST /api/v1/manage/content/{type}"] = async s =>
        {
            var (type, key) = await ManagedTypeAsync(s);
            await Expect(HttpStatusCode.Created, s.HttpAsync(() => Manage(s, HttpMethod.Post, $"/api/v1/manage/content/{type.ApiId}", key, ManagedBody())));
        },
        ["PUT /api/v1/manage/content/{type}/{id:guid}"] = async s =>
        {
            var (type, key, id, etag) = await ManagedItemAsync(s);
            await Expect(HttpStatusCode.OK, s.HttpAsync(() => Manage(s, HttpMethod.Put, $"/api/v1/manage/content/{type.ApiId}/{id}", key, ManagedBody(), etag)));
        },
        ["POST /api/v1/manage/content/{type}/{id:guid}/publish"] = async s =>
        {
            var (type, key, id, etag) = await ManagedItemAsync(s);
            await Expect(HttpStatusCode.OK, s.HttpAsync(() => Manage(s, HttpMethod.Post, $"/api/v1/manage/content/{type.ApiId}/{id}/publish", key, null, etag)));
        },
        ["POST /api/v1/manage/content/{type}/{id:guid}/unpublish"] = async s =>
        {
            var (type, key, id, etag) = await ManagedItemAsync(s, publish: true);
            await Expect(HttpStatusCode.OK, s.HttpAsync(() => Manage(s, HttpMethod.Post, $"/api/v1/manage/content/{type.ApiId}/{id}/unpublish", key, null, etag)));
        },
        ["DELETE /api/v1/manage/content/{type}/{id:guid}"] = async s =>
        {
            var (type, key, id, etag) = await ManagedItemAsync(s);
            await Expect(HttpStatusCode.NoContent, s.HttpAsync(() => Manage(s, HttpMethod.Delete, $"/api/v1/manage/content/{type.ApiId}/{id}", key, null, etag)));
        },
        ["POST /api/v1/members/register"] = s => Expect(HttpStatusCode.Accepted, s.HttpAsync(() => s.App.PostAsync("register",
            new { email = $"reg-{Unique()}@example.jp", password = MemberAccountApiFactory.MemberPassword, displayName = "登録 太郎", language = "ja" }))),
        ["POST /api/v1/members/verify"] = async s =>
        {
            var email = $"verify-{Unique()}@example.jp";
            await Expect(HttpStatusCode.Accepted, s.App.PostAsync("register",
                new { email, password = MemberAccountApiFactory.MemberPassword, displayName = "確認 花子", language = "ja" }));
            var (_, token) = await s.App.WaitForLinkAsync(email, "/members/verify");
            await Expect(HttpStatusCode.NoContent, s.HttpAsync(() => s.App.PostAsync("verify", new { token })));
        },
        ["POST /api/v1/members/login"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            await Expect(HttpStatusCode.OK, s.HttpAsync(() => s.App.PostAsync("login", new { email = member.Email, password = MemberAccountApiFactory.MemberPassword })));
        },
        ["POST /api/v1/members/logout"] = async s =>
        {
            var tokens = await MemberSignedInAsync(s);
            await Expect(HttpStatusCode.NoContent, s.HttpAsync(() => s.App.PostAsync("logout", new { refreshToken = tokens.GetProperty("refreshToken").GetString() })));
        },
        ["PATCH /api/v1/members/me"] = async s =>
        {
            var tokens = await MemberSignedInAsync(s);
            await Expect(HttpStatusCode.OK, s.HttpAsync(() => s.App.SendAsync(HttpMethod.Patch, "me", new { displayName = "新しい 名前" }, tokens.GetProperty("accessToken").GetString())));
        },
        ["POST /api/v1/members/password"] = async s =>
        {
            var tokens = await MemberSignedInAsync(s);
            await Expect(HttpStatusCode.OK, s.HttpAsync(() => s.App.PostAsync("password",
                new { currentPassword = MemberAccountApiFactory.MemberPassword, newPassword = "Kaze3-Tsuki-Hoshi!55w" }, tokens.GetProperty("accessToken").GetString())));
        },
        ["POST /api/v1/members/password/forgot"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            await Expect(HttpStatusCode.Accepted, s.HttpAsync(() => s.App.PostAsync("password/forgot", new { email = member.Email })));
        },
        ["POST /api/v1/members/password/reset"] = async s =>
        {
            var member = await s.App.AddMemberAsync();
            await s.App.PostAsync("password/forgot", new { email = member.Email });
            var (_, token) = await s.App.WaitForLinkAsync(member.Email, "/members/reset-password");
            await Expect(HttpStatusCode.NoContent, s.HttpAsync(() => s.App.PostAsync("password/reset", new { token, password = "Kaze3-Tsuki-Hoshi!55w" })));
        },
        ["POST /notices/unsubscribe"] = async s =>
        {
            var token = await UnsubscribeTokenAsync(s);
            using var client = s.App.CreateClient();
            await Expect(HttpStatusCode.OK, s.HttpAsync(() => client.PostAsync("/notices/unsubscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }))));
        },
    };

    private static async Task Expect(HttpStatusCode expected, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A staff member signed in through the sign-in form posts a console form (with its antiforgery token).</summary>
    private static async Task StaffFormPostAsync(AuditScenario s, string path)
    {
        var (email, _) = await StaffAsync(s);
        var client = s.App.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        var token = KurocoAppFactory.AntiforgeryToken(await client.GetStringAsync("/account/change-password"));
        await Expect(HttpStatusCode.Redirect, s.HttpAsync(() => client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "",
        }))));
    }

    private static async Task<(ContentType Type, string Key)> ManagedTypeAsync(AuditScenario s)
    {
        var type = await TypeAsync(s);
        var (_, key) = await s.App.CreateKeyAsync("Coverage importer " + Unique(), ApiAccess.Write, [type.ApiId]);
        return (type, key);
    }

    private static object ManagedBody() => new { slug = "m" + Unique(), fields = new { ja = new { title = "タイトル " + Unique() } } };

    private static async Task<HttpResponseMessage> Manage(AuditScenario s, HttpMethod method, string path, string key, object? body, string? ifMatch = null)
    {
        using var client = s.App.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-API-Key", key);
        request.Headers.Add(TestPeerAddress.HeaderName, "203.0.113.9");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        return await client.SendAsync(request);
    }

    /// <summary>An item created through the management API (published when asked): its id and current ETag.</summary>
    private static async Task<(ContentType Type, string Key, Guid Id, string ETag)> ManagedItemAsync(AuditScenario s, bool publish = false)
    {
        var (type, key) = await ManagedTypeAsync(s);
        using var created = await Manage(s, HttpMethod.Post, $"/api/v1/manage/content/{type.ApiId}", key,
            new { slug = "m" + Unique(), fields = new { ja = new { title = "タイトル " + Unique() } }, publish });
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        var json = JsonDocument.Parse(text).RootElement;
        return (type, key, json.GetProperty("id").GetGuid(), json.GetProperty("eTag").GetString()!);
    }

    private static async Task<JsonElement> MemberSignedInAsync(AuditScenario s)
    {
        var member = await s.App.AddMemberAsync();
        return await s.App.SignInAsync(member.Email);
    }

    // ---- Shared setup ----

    public static async Task<(string Email, string Id)> StaffAsync(AuditScenario s)
    {
        var email = $"coverage-{Unique()}@test.local";
        return (email, await s.App.CreateStaffAsync(email, StaffRoles.ContentEditor));
    }

    /// <summary>A staff member with an authenticator who has passed the password step: the request cookies that carry the pending step, and recovery codes.</summary>
    private static async Task<(string Cookies, List<string> RecoveryCodes)> SecondStepPendingAsync(AuditScenario s)
    {
        var (email, id) = await StaffAsync(s);
        var codes = await s.App.WithScopeAsync(async sp =>
        {
            var users = Get<UserManager<StaffUser>>(sp);
            var user = (await users.FindByIdAsync(id))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            return (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        });
        var cookies = await s.App.WithSignInAsync(async (signIn, sp) =>
        {
            var outcome = await signIn.PasswordSignInAsync(email, KurocoAppFactory.StaffPassword, rememberMe: false);
            var http = Get<IHttpContextAccessor>(sp).HttpContext!;
            return string.Join("; ", http.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]));
        });
        return (cookies, codes);
    }

    private static DateOnly PreviousMonth(AuditCoverageAppFactory app)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return new DateOnly(now.Year, now.Month, 1).AddMonths(-1);
    }

    /// <summary>
    /// A prepared review of a month with a role change in it (always a finding): the change is made now, the clock moves
    /// into the next month, and the month is prepared as the job would.
    /// </summary>
    private static async Task<AuditReview> PreparedReviewWithFindingAsync(AuditScenario s)
    {
        var (_, id) = await StaffAsync(s);
        Ok(await s.App.WithScopeAsync(sp => Get<IStaffService>(sp).UpdateAsync(id, new UpdateStaffRequest { DisplayName = "Promoted", Roles = [StaffRoles.Administrator] })));
        var now = s.App.Clock.GetUtcNow().UtcDateTime;
        var month = new DateOnly(now.Year, now.Month, 1);
        s.App.Clock.Advance(new DateTime(month.AddMonths(1), new TimeOnly(12, 0), DateTimeKind.Utc) - now + TimeSpan.FromDays(1));
        var requested = Ok(await s.App.WithScopeAsync(sp => Get<IAuditReviewService>(sp).RequestPreparationAsync(month)));
        return await Eventually.GetAsync(
            async () => await s.App.WithScopeAsync(sp => Get<IAuditReviewService>(sp).GetAsync(month, requested.Version)),
            r => r is { Findings.Count: > 0 } && r.State == AuditReviewState.Ready, "the review job prepared the month", TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException();
    }

    private static WebhookSubscriptionRequest WebhookRequest() => new()
    {
        Name = "Coverage " + Unique(),
        TargetUrl = "https://" + AuditCoverageAppFactory.WebhookHost + "/hook",
        Events = [WebhookEventTypes.ContentPublished],
    };

    private static async Task<Guid> WebhookAsync(AuditScenario s) =>
        Ok(await s.App.WithScopeAsync(sp => Get<IWebhookService>(sp).CreateAsync(WebhookRequest()))).Id;

    /// <summary>A delivery of the subscription that failed for good (no job behind it), as redelivery needs.</summary>
    private static Task<Guid> FailedDeliveryAsync(AuditScenario s, Guid subscriptionId) => s.App.WithScopeAsync(async sp =>
    {
        var eventId = Guid.NewGuid();
        var e = new WebhookEvent(WebhookEventTypes.ContentPublished, "news", Guid.NewGuid(), "hello", s.App.Clock.GetUtcNow());
        var delivery = WebhookDispatcher.NewDelivery(subscriptionId, eventId, e.EventType, e.TypeApiId, e.ItemId, WebhookPayload.Build(eventId, e), s.App.Clock.GetUtcNow().UtcDateTime);
        delivery.Status = WebhookDeliveryStatus.Failed;
        delivery.Attempts = 1;
        var db = Get<KurocoDbContext>(sp);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery.Id;
    });

    public static async Task<Guid> MediaAsync(AuditScenario s) => (await s.App.WithScopeAsync(async sp =>
    {
        using var png = new MemoryStream(MediaSamples.Png(4, 4));
        return Ok(await Get<IMediaLibrary>(sp).UploadAsync(png, "coverage.png"));
    })).Id;

    private static ContentType NewType(bool requiresApproval = false) => new()
    {
        Name = "Coverage " + Unique(),
        ApiId = "c" + Unique(),
        RequiresApproval = requiresApproval,
        ReviewerRole = requiresApproval ? StaffRoles.Administrator : null,
        Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", LabelJa = "タイトル", Kind = FieldKind.ShortText, Required = true }],
    };

    public static Task<ContentType> TypeAsync(AuditScenario s, bool requiresApproval = false) =>
        s.App.WithScopeAsync(async sp => Ok(await Get<IContentTypeService>(sp).SaveAsync(NewType(requiresApproval))));

    private static ContentItemInput ItemInput(ContentType type)
    {
        var input = new ContentItemInput { TypeId = type.Id, Slug = "i" + Unique() };
        input.Ja["title"] = "タイトル " + Unique();
        return input;
    }

    public static Task<ContentItem> ItemAsync(AuditScenario s, ContentType type) =>
        s.App.WithScopeAsync(async sp => Ok(await Get<IContentItemService>(sp).SaveDraftAsync(ItemInput(type))));

    private static async Task<ContentItem> PublishedItemAsync(AuditScenario s)
    {
        var type = await TypeAsync(s);
        return await s.App.WithScopeAsync(async sp => Ok(await Get<IContentPublishingService>(sp).SaveAndPublishAsync(ItemInput(type))));
    }

    private static async Task<ContentItem> TrashedItemAsync(AuditScenario s)
    {
        var item = await ItemAsync(s, await TypeAsync(s));
        Ok(await s.App.WithScopeAsync(sp => Get<IContentTrashService>(sp).DeleteAsync(new ContentItemRef(item.Id))));
        return item;
    }

    /// <summary>An item of a type that needs approval, submitted by another editor (an Administrator reviews it).</summary>
    private static async Task<ContentItem> SubmittedItemAsync(AuditScenario s)
    {
        var type = await TypeAsync(s, requiresApproval: true);
        var editor = new AuditActor("coverage-editor", "editor@test.local", [StaffRoles.ContentEditor]);
        using (ActingAuditContext.As(editor))
        {
            var item = await ItemAsync(s, type);
            Ok(await s.App.WithScopeAsync(sp => Get<IContentReviewService>(sp).SubmitAsync(item.Id, "Please check")));
            return item;
        }
    }

    private static async Task<MemberDetail> MemberDetailAsync(AuditScenario s, MemberStatus status = MemberStatus.Active)
    {
        var member = await s.App.AddMemberAsync(status);
        return (await s.App.WithScopeAsync(sp => Get<IMemberDirectory>(sp).GetAsync(member.Id)))!;
    }

    private static MemoryStream ImportCsv() =>
        new([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes($"email,name\r\nimport-{Unique()}@example.jp,取込 太郎\r\n")]);

    private static Task<MemberImport> ImportAsync(AuditScenario s) => s.App.WithScopeAsync(async sp =>
    {
        using var csv = ImportCsv();
        return Ok(await Get<IMemberImportService>(sp).UploadAsync(csv, "members.csv"));
    });

    private static async Task<MemberImport> CheckedImportAsync(AuditScenario s)
    {
        var import = await ImportAsync(s);
        Ok(await s.App.WithScopeAsync(sp => Get<IMemberImportService>(sp).StartDryRunAsync(import.Id, import.Settings)));
        return await Eventually.GetAsync(
            async () => (await s.App.WithScopeAsync(sp => Get<IMemberImportService>(sp).FindAsync(import.Id)))!,
            i => !i.IsRunning, "the dry run has finished", TimeSpan.FromSeconds(60));
    }

    /// <summary>A JSON body for the member API.</summary>
    public static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    /// <summary>A committed backup generation (taken now when there is none).</summary>
    private static async Task<string> GenerationAsync(AuditScenario s)
    {
        var admin = await s.App.AdministratorAsync();
        using var acting = ActingAuditContext.As(admin);
        var existing = await s.App.WithScopeAsync(sp => Get<IBackupService>(sp).ListAsync(CancellationToken.None));
        if (existing.Count > 0)
        {
            return existing[0].Manifest.Id;
        }
        var taken = await s.App.WithScopeAsync(sp => Get<IBackupService>(sp).BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
        Ok(taken);
        return taken.Value!.Id;
    }

    /// <summary>A pending full restore requested by the bootstrap Administrator (outside the recorded call).</summary>
    private static async Task<string> RequestRestoreAsync(AuditScenario s)
    {
        var generation = await GenerationAsync(s);
        using var acting = ActingAuditContext.As(await s.App.AdministratorAsync());
        var run = await s.App.WithScopeAsync(sp => Get<IFullRestoreService>(sp).RequestAsync(generation, generation, CancellationToken.None));
        Ok(run);
        return run.Value!.Id;
    }

    private static async Task WithdrawAsync(AuditScenario s, string runId)
    {
        using var acting = ActingAuditContext.As(await s.App.AdministratorAsync());
        await s.App.WithScopeAsync(sp => Get<IFullRestoreService>(sp).RejectAsync(runId, CancellationToken.None));
    }
    private static Kuroco.Core.Incidents.OpenIncidentRequest IncidentRequest() =>
        new("Coverage incident " + Unique(), "Service disruption", "", Kuroco.Core.Monitoring.AlertSeverity.Warning, [Kuroco.Core.Incidents.StatusComponents.Console]);

    private static Kuroco.Core.Incidents.NoticeContactRequest ContactRequest() =>
        new("Contact " + Unique(), $"contact-{Unique()}@example.jp", Kuroco.Core.Incidents.NoticeContact.Japanese, "Asia/Tokyo", []);

    private static async Task<Guid> IncidentAsync(AuditScenario s)
    {
        using var acting = ActingAuditContext.As(await s.App.AdministratorAsync());
        var opened = await s.App.WithScopeAsync(sp => Get<Kuroco.Core.Incidents.IIncidentService>(sp).CreateAsync(IncidentRequest()));
        Ok(opened);
        return opened.Value;
    }

    private static async Task<Guid> NoticeContactAsync(AuditScenario s)
    {
        using var acting = ActingAuditContext.As(await s.App.AdministratorAsync());
        var created = await s.App.WithScopeAsync(sp => Get<Kuroco.Core.Incidents.INoticeContactService>(sp).CreateAsync(ContactRequest()));
        Ok(created);
        return created.Value;
    }

    /// <summary>A contact and a single-use unsubscribe token issued to it (as a notice mail would carry).</summary>
    internal static async Task<string> UnsubscribeTokenAsync(AuditScenario s)
    {
        var contact = await NoticeContactAsync(s);
        var token = Kuroco.Infrastructure.Incidents.IncidentNoticeSender.NewToken();
        await s.App.WithScopeAsync(async sp =>
        {
            var db = Get<KurocoDbContext>(sp);
            db.Add(new Kuroco.Infrastructure.Incidents.NoticeUnsubscribeToken
            {
                Id = Guid.NewGuid(),
                ContactId = contact,
                TokenHash = Kuroco.Infrastructure.Incidents.IncidentNoticeSender.Hash(token),
                IssuedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        return token;
    }
}
