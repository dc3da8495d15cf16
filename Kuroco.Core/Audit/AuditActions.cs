using System.Reflection;

namespace Kuroco.Core.Audit;

/// <summary>An area of the console and the actions recorded in it (the code before the first dot: <c>auth</c>, <c>staff</c>…).</summary>
public sealed record AuditArea(string Code, IReadOnlyList<string> Actions);

/// <summary>
/// Action codes of audit entries. Stored, so never rename one. Each code is <c>{area}.{action}</c>; each needs the
/// templates <c>summary:{code}</c> in AuditResource (en + ja) and a classification in the coverage test.
/// </summary>
public static class AuditActions
{
    /// <summary>Every action code (the constants of this class), in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        .. typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!),
    ];

    /// <summary>The actions grouped by area, areas in the order they first appear (for the grouped action filter).</summary>
    public static IReadOnlyList<AuditArea> Areas { get; } =
        [.. All.GroupBy(AreaOf, StringComparer.Ordinal).Select(g => new AuditArea(g.Key, [.. g]))];

    /// <summary>The area of an action code: the part before the first dot (the whole code when it has none).</summary>
    public static string AreaOf(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var dot = action.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? action : action[..dot];
    }

    public const string SignInSucceeded = "auth.sign-in";
    public const string SignInFailed = "auth.sign-in-failed";
    public const string SignOut = "auth.sign-out";
    public const string LockedOut = "auth.locked-out";
    public const string PasswordChanged = "auth.password-changed";
    public const string AccessDenied = "auth.access-denied";

    public const string StaffCreated = "staff.created";
    public const string StaffRolesChanged = "staff.roles-changed";
    public const string StaffUpdated = "staff.updated";
    public const string StaffDisabled = "staff.disabled";
    public const string StaffEnabled = "staff.enabled";
    public const string StaffUnlocked = "staff.unlocked";
    public const string StaffPasswordChangeForced = "staff.password-change-forced";
    public const string StaffBootstrapped = "staff.bootstrap-admin-created";
    /// <summary>An Administrator's one-time password issued with the reset-password command (a lost bootstrap password).</summary>
    public const string StaffOneTimePasswordIssued = "staff.one-time-password-issued";
    public const string ProfileUpdated = "staff.profile-updated";
    public const string StaffSignedOutEverywhere = "staff.signed-out-everywhere";

    public const string SessionPolicyChanged = "security.session-policy-changed";
    public const string SessionEnded = "auth.session-ended";
    public const string TwoFactorEnabled = "auth.two-factor-enabled";
    public const string TwoFactorDisabled = "auth.two-factor-disabled";
    public const string RecoveryCodesGenerated = "auth.recovery-codes-generated";
    public const string RecoveryCodeUsed = "auth.recovery-code-used";
    public const string PasskeyAdded = "auth.passkey-added";
    public const string PasskeyRenamed = "auth.passkey-renamed";
    public const string PasskeyRemoved = "auth.passkey-removed";

    public const string PasswordPolicyChanged = "security.password-policy-changed";
    public const string MemberPasswordPolicyChanged = "members.password-policy-changed";
    public const string MemberDemoSeeded = "members.demo-seeded";

    public const string AuditChainVerified = "audit.chain-verified";
    public const string AuditChainBroken = "audit.chain-broken";
    public const string AuditExported = "audit.exported";

    public const string MailQueued = "mail.queued";
    public const string MailFailed = "mail.failed";
    public const string MailViewed = "mail.viewed";

    public const string IpAllowlistChanged = "security.ip-allowlist-changed";
    public const string IpDenied = "security.ip-denied";

    // Webhooks (issue 4, feat/webhooks)
    public const string WebhookCreated = "webhook.created";
    public const string WebhookUpdated = "webhook.updated";
    public const string WebhookEnabled = "webhook.enabled";
    public const string WebhookDisabled = "webhook.disabled";
    public const string WebhookDeleted = "webhook.deleted";
    public const string WebhookSecretRotated = "webhook.secret-rotated";
    public const string WebhookTestSent = "webhook.test-sent";
    public const string WebhookRedelivered = "webhook.redelivered";
    public const string WebhookDeliveryFailed = "webhook.delivery-failed";
    public const string WebhookTargetRefused = "webhook.target-refused";
    public const string WebhookAllowedHostsChanged = "webhook.allowed-hosts-changed";

    // Media library (issue 4, feat/media)
    public const string MediaUploaded = "media.uploaded";
    public const string MediaUploadRefused = "media.upload-refused";
    public const string MediaUpdated = "media.updated";
    public const string MediaDeleted = "media.deleted";
    public const string MediaFilesPurged = "media.files-purged";

    // Content (types, items, versions, trash)
    public const string ContentTypeCreated = "content.type-created";
    public const string ContentTypeUpdated = "content.type-updated";
    public const string ContentItemCreated = "content.item-created";
    public const string ContentItemSaved = "content.item-saved";
    public const string ContentItemPublished = "content.item-published";
    public const string ContentItemUnpublished = "content.item-unpublished";
    public const string ContentItemScheduled = "content.item-scheduled";
    public const string ContentItemArchived = "content.item-archived";
    public const string ContentItemDuplicated = "content.item-duplicated";
    public const string ContentVersionRestored = "content.version-restored";
    public const string ContentItemDeleted = "content.item-deleted";
    public const string ContentItemRestored = "content.item-restored";
    public const string ContentItemPurged = "content.item-purged";
    public const string ContentReviewSubmitted = "content.review-submitted";
    public const string ContentReviewApproved = "content.review-approved";
    public const string ContentReviewRejected = "content.review-rejected";

    // Content type deletion (issue 4, feat/manage)
    public const string ContentTypeDeleted = "content.type-deleted";

    // API keys (feature: API infrastructure, /api/v1). The secret is never part of an entry.
    public const string ApiKeyCreated = "api.key-created";
    public const string ApiKeyRevoked = "api.key-revoked";

    // Members: CSV import and export, personal-data requests (feat/members-data). Never a personal value in a summary.
    public const string MemberImportUploaded = "members.import-uploaded";
    public const string MemberImportChecked = "members.import-checked";
    public const string MemberImportStarted = "members.import-started";
    public const string MembersImported = "members.imported";
    public const string MemberImportFailed = "members.import-failed";
    public const string MemberImportDiscarded = "members.import-discarded";
    public const string MemberImportFilesPurged = "members.import-files-purged";
    public const string MembersExported = "members.exported";
    public const string MemberPersonalDataExported = "members.personal-data-exported";
    public const string MemberErased = "members.erased";

    // Members in the console (issue 11, feat/members-console). Personal values in before/after are protected (IMemberPersonalData).
    public const string MemberProfileUpdated = "members.profile-updated";
    public const string MemberGroupsChanged = "members.groups-changed";
    public const string MemberSuspended = "members.suspended";
    public const string MemberReactivated = "members.reactivated";
    public const string MemberUnlocked = "members.unlocked";
    public const string MemberSignedOutEverywhere = "members.signed-out-everywhere";
    public const string MemberDeleted = "members.deleted";
    public const string MembersBulkAddedToGroup = "members.bulk-added-to-group";
    public const string MembersBulkSuspended = "members.bulk-suspended";
    public const string MemberGroupCreated = "members.group-created";
    public const string MemberGroupRenamed = "members.group-renamed";
    public const string MemberGroupDeleted = "members.group-deleted";
    public const string MemberRegistrationSettingsChanged = "members.registration-settings-changed";
    public const string MemberProfileSchemaChanged = "members.profile-schema-changed";
    // Member accounts (issue 11, feat/members-api). Entity type "Member"; a member's sign-in, sign-out, lock and password
    // change use the auth.* codes above. Summaries name a member by id only (its email and name are personal data).
    public const string MemberRegistered = "members.registered";
    public const string MemberRegistrationDuplicate = "members.registration-duplicate";
    public const string MemberEmailVerified = "members.email-verified";
    public const string MemberInvited = "members.invited";
    public const string MemberInvitationAccepted = "members.invitation-accepted";
    public const string MemberVerificationSent = "members.verification-sent";
    public const string MemberPasswordResetSent = "members.password-reset-sent";
    public const string MemberPasswordReset = "members.password-reset";
    public const string MemberRefreshTokenReused = "members.refresh-token-reused";

    // Server logs (issue 12, part D, feat/server-logs). Entity type "ServerLogs".
    public const string LogRetentionChanged = "logs.retention-changed";
    public const string LogsExported = "logs.exported";
    // Monthly audit review (issue 12 part C2, feat/audit-review). Entity type "AuditReview" (id "yyyy-MM/v{version}").
    public const string AuditReviewRequested = "audit.review-requested";
    public const string AuditReviewPrepared = "audit.review-prepared";
    public const string AuditReviewFindingAcknowledged = "audit.review-finding-acknowledged";
    public const string AuditReviewFindingEscalated = "audit.review-finding-escalated";
    public const string AuditReviewSignedOff = "audit.review-signed-off";
    public const string AuditReviewOverdueReminded = "audit.review-overdue-reminded";
    public const string AuditReviewSettingsChanged = "audit.review-settings-changed";
    // Audit search (issue 12, feat/audit-search): a staff user's saved filters of the audit page. Entity type
    // "AuditSavedFilter", id the filter's id; parameters name and query.
    public const string AuditFilterSaved = "audit.filter-saved";
    public const string AuditFilterDeleted = "audit.filter-deleted";
    // Audit retention and "Verify now" (issue 12 part C1, feat/audit-retention). Entity type "AuditLog".
    public const string AuditRetentionChanged = "audit.retention-changed";
    public const string AuditRetentionPurged = "audit.retention-purged";
    public const string AuditRetentionPurgeRefused = "audit.retention-purge-refused";
    public const string AuditVerificationRequested = "audit.verification-requested";
    // Backups (issue 13, feat/backup-engine). Entity type "Backup", id the generation id ("20261206T170000Z-3f2a").
    public const string BackupStarted = "backup.started";
    public const string BackupCompleted = "backup.completed";
    public const string BackupFailed = "backup.failed";
    public const string BackupRequested = "backup.requested";
    // One storage target of several failed (Backups:Storage=Both, S3 down) while the others committed; parameters store, error.
    public const string BackupStoreFailed = "backup.store-failed";
    // Entity type "BackupSettings", id "1"; parameter fields (the changed field names), changes per field.
    public const string BackupSettingsChanged = "backup.settings-changed";
    // Scoped restore (issue 13, feat/scoped-restore): one entry per record brought back from a backup, entity type of the
    // record; parameters reference (the request's number), generation, record (its key), restoreChange, dependants.
    public const string RestoreRecordRestored = "restore.record-restored";
    // Restore requests (issue 13, feat/restore-requests). Entity type "RestoreRequest", id the reference (RR-2026-0001);
    // parameters: reference, and per action fee, generation, method, counts, error.
    public const string RestoreRequestReceived = "restore.request-received";
    public const string RestoreRequestQuoted = "restore.request-quoted";
    public const string RestoreRequestApproved = "restore.request-approved";
    public const string RestoreRequestExtractionStarted = "restore.extraction-started";
    public const string RestoreRequestExtracted = "restore.extracted";
    public const string RestoreRequestApplyStarted = "restore.apply-started";
    public const string RestoreRequestApplied = "restore.applied";
    public const string RestoreRequestNotified = "restore.notified";
    public const string RestoreRequestFailed = "restore.failed";
    public const string RestoreRequestCancelled = "restore.request-cancelled";
    public const string RestoreRequestDeclined = "restore.request-declined";
    public const string RestoreRequestSettingsChanged = "restore.settings-changed";
    // Maintenance mode and the full restore (issue 13, feat/full-restore). Entity types "MaintenanceMode" and "FullRestore"
    // (id: the restore's id). Parameters: reason, expectedEnd, minutes; generation, step, problem.
    public const string MaintenanceTurnedOn = "maintenance.turned-on";
    public const string MaintenanceTurnedOff = "maintenance.turned-off";
    public const string FullRestoreRequested = "backup.full-restore-requested";
    public const string FullRestoreConfirmed = "backup.full-restore-confirmed";
    public const string FullRestoreRejected = "backup.full-restore-rejected";
    public const string FullRestoreCancelled = "backup.full-restore-cancelled";
    public const string FullRestoreConfirmationRefused = "backup.full-restore-confirmation-refused";
    public const string FullRestoreStepCompleted = "backup.full-restore-step";
    public const string FullRestoreCompleted = "backup.full-restore-completed";
    public const string FullRestoreFailed = "backup.full-restore-failed";
    // Backups screen, restore drill and alarm (issue 13, feat/backup-ui). Entity type "Backup" (id the generation
    // id) or "BackupAlarm" (id the night, yyyy-MM-dd in the backup zone).
    public const string BackupDrillRequested = "backup.drill-requested";
    public const string BackupDrillPassed = "backup.drill-passed";
    public const string BackupDrillFailed = "backup.drill-failed";
    public const string BackupDownloadLinkIssued = "backup.download-link-issued";
    public const string BackupDownloaded = "backup.downloaded";
    public const string BackupAlarmRaised = "backup.alarm-raised";
    // Jobs screen (issue 14, feat/jobs-security). Entity type "BackgroundJob": id the Hangfire job id (retried) or the
    // recurring job id (triggered); parameter job (the recurring job id, or Type.Method) and jobId (the new job).
    public const string JobRetried = "jobs.retried";
    public const string JobTriggered = "jobs.triggered";
    // Incidents (issue 14, feat/incidents). Entity type "Incident" (id the incident id) or "NoticeContact" (id the contact id).
    public const string IncidentOpened = "incident.opened";
    public const string IncidentAdvanced = "incident.advanced";
    public const string IncidentClassified = "incident.classified";
    public const string IncidentNoteAdded = "incident.note-added";
    public const string IncidentProgressOverdue = "incident.progress-overdue";
    public const string IncidentNoticeSent = "incident.notice-sent";
    public const string NoticeContactCreated = "incident.contact-created";
    public const string NoticeContactUpdated = "incident.contact-updated";
    public const string NoticeContactDeleted = "incident.contact-deleted";
    public const string NoticeContactUnsubscribed = "incident.contact-unsubscribed";
    // Monitoring alert rules (issue 14, feat/monitoring). Entity type "AlertRule" (id the rule's GUID).
    // Parameters: name, signal, condition ("> 90"), minutes, severity.
    public const string AlertRuleCreated = "monitoring.alert-rule-created";
    public const string AlertRuleUpdated = "monitoring.alert-rule-updated";
    public const string AlertRuleDeleted = "monitoring.alert-rule-deleted";
    // SLA (issue 14, feat/sla). Entity type "SlaSettings" (id 1, changes listed), "MaintenanceWindow" (id the window's
    // GUID; parameters start, end (ISO-8601 UTC), title (English), components, fields on update) or "SlaReport" (id the
    // month, yyyy-MM; parameters month, recipients).
    public const string SlaSettingsChanged = "sla.settings-changed";
    public const string SlaMaintenanceScheduled = "sla.maintenance-scheduled";
    public const string SlaMaintenanceUpdated = "sla.maintenance-updated";
    public const string SlaMaintenanceCancelled = "sla.maintenance-cancelled";
    public const string SlaReportMailed = "sla.report-mailed";
}
