using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Kuroco.Admin.Components.Pages.Audit;

/// <summary>How audit codes are shown: the English text of each (the localization key) and the outcome colours.</summary>
internal static class AuditDisplay
{
    private static readonly Dictionary<string, string> ActionNames = new(StringComparer.Ordinal)
    {
        [AuditActions.SignInSucceeded] = "Sign-in",
        [AuditActions.SignInFailed] = "Failed sign-in",
        [AuditActions.SignOut] = "Sign-out",
        [AuditActions.LockedOut] = "Account locked out",
        [AuditActions.PasswordChanged] = "Password changed",
        [AuditActions.AccessDenied] = "Access denied",
        [AuditActions.StaffCreated] = "Staff account created",
        [AuditActions.StaffRolesChanged] = "Staff roles changed",
        [AuditActions.StaffUpdated] = "Staff account updated",
        [AuditActions.StaffDisabled] = "Staff account disabled",
        [AuditActions.StaffEnabled] = "Staff account enabled",
        [AuditActions.StaffUnlocked] = "Staff account unlocked",
        [AuditActions.StaffPasswordChangeForced] = "Password change required",
        [AuditActions.StaffBootstrapped] = "First administrator created",
        [AuditActions.StaffOneTimePasswordIssued] = "One-time password issued (command line)",
        [AuditActions.ProfileUpdated] = "Profile updated",
        [AuditActions.AuditChainVerified] = "Audit log verified",
        [AuditActions.AuditChainBroken] = "Audit log tampering detected",
        [AuditActions.AuditExported] = "Audit log exported",
        [AuditActions.MailQueued] = "Mail queued",
        [AuditActions.MailFailed] = "Mail delivery failed",
        [AuditActions.MailViewed] = "Mail body viewed",
        [AuditActions.IpAllowlistChanged] = "IP allowlist changed",
        [AuditActions.IpDenied] = "Request denied by IP allowlist",
        [AuditActions.StaffSignedOutEverywhere] = "Signed out everywhere",
        [AuditActions.SessionPolicyChanged] = "Session settings changed",
        [AuditActions.SessionEnded] = "Session ended",
        [AuditActions.TwoFactorEnabled] = "Two-factor sign-in turned on",
        [AuditActions.TwoFactorDisabled] = "Two-factor sign-in turned off",
        [AuditActions.RecoveryCodesGenerated] = "Recovery codes generated",
        [AuditActions.RecoveryCodeUsed] = "Recovery code used",
        [AuditActions.PasskeyAdded] = "Passkey added",
        [AuditActions.PasskeyRenamed] = "Passkey renamed",
        [AuditActions.PasskeyRemoved] = "Passkey removed",
        [AuditActions.PasswordPolicyChanged] = "Password policy changed",
        [AuditActions.MemberPasswordPolicyChanged] = "Member password policy changed",
        [AuditActions.MemberDemoSeeded] = "Demo members created",
        [AuditActions.WebhookCreated] = "Webhook created",
        [AuditActions.WebhookUpdated] = "Webhook updated",
        [AuditActions.WebhookEnabled] = "Webhook enabled",
        [AuditActions.WebhookDisabled] = "Webhook disabled",
        [AuditActions.WebhookDeleted] = "Webhook deleted",
        [AuditActions.WebhookSecretRotated] = "Webhook secret rotated",
        [AuditActions.WebhookTestSent] = "Webhook test event sent",
        [AuditActions.WebhookRedelivered] = "Webhook delivery resent",
        [AuditActions.WebhookDeliveryFailed] = "Webhook delivery failed",
        [AuditActions.WebhookTargetRefused] = "Webhook target refused",
        [AuditActions.WebhookAllowedHostsChanged] = "Webhook host allowlist changed",
        [AuditActions.MediaUploaded] = "Media uploaded",
        [AuditActions.MediaUploadRefused] = "Media upload refused",
        [AuditActions.MediaUpdated] = "Media details updated",
        [AuditActions.MediaDeleted] = "Media deleted",
        [AuditActions.MediaFilesPurged] = "Deleted media files removed",
        [AuditActions.ContentTypeCreated] = "Content type created",
        [AuditActions.ContentTypeUpdated] = "Content type updated",
        [AuditActions.ContentTypeDeleted] = "Content type deleted",
        [AuditActions.ContentItemCreated] = "Content item created",
        [AuditActions.ContentItemSaved] = "Content item saved",
        [AuditActions.ContentItemPublished] = "Content item published",
        [AuditActions.ContentItemUnpublished] = "Content item unpublished",
        [AuditActions.ContentItemScheduled] = "Content item scheduled",
        [AuditActions.ContentItemArchived] = "Content item archived",
        [AuditActions.ContentItemDuplicated] = "Content item duplicated",
        [AuditActions.ContentVersionRestored] = "Content version restored",
        [AuditActions.ContentItemDeleted] = "Content item moved to trash",
        [AuditActions.ContentItemRestored] = "Content item restored from trash",
        [AuditActions.ContentItemPurged] = "Content item purged",
        [AuditActions.ContentReviewSubmitted] = "Submitted for review",
        [AuditActions.ContentReviewApproved] = "Review approved",
        [AuditActions.ContentReviewRejected] = "Review rejected",
        [AuditActions.ApiKeyCreated] = "API key created",
        [AuditActions.ApiKeyRevoked] = "API key revoked",
        [AuditActions.MemberImportUploaded] = "Member import uploaded",
        [AuditActions.MemberImportChecked] = "Member import checked (dry run)",
        [AuditActions.MemberImportStarted] = "Member import started",
        [AuditActions.MembersImported] = "Members imported",
        [AuditActions.MemberImportFailed] = "Member import failed",
        [AuditActions.MemberImportDiscarded] = "Member import discarded",
        [AuditActions.MemberImportFilesPurged] = "Member import files removed",
        [AuditActions.MembersExported] = "Members exported",
        [AuditActions.MemberPersonalDataExported] = "Member's personal data exported",
        [AuditActions.MemberErased] = "Member's personal data erased",
        [AuditActions.MemberRegistered] = "Member registered",
        [AuditActions.MemberRegistrationDuplicate] = "Registration with a member's address",
        [AuditActions.MemberEmailVerified] = "Member email address confirmed",
        [AuditActions.MemberInvited] = "Member invited",
        [AuditActions.MemberInvitationAccepted] = "Member invitation accepted",
        [AuditActions.MemberVerificationSent] = "Member verification mail sent",
        [AuditActions.MemberPasswordResetSent] = "Member password-reset mail sent",
        [AuditActions.MemberPasswordReset] = "Member password reset",
        [AuditActions.MemberProfileUpdated] = "Member profile updated",
        [AuditActions.MemberRefreshTokenReused] = "Member refresh token reused",
        [AuditActions.MemberGroupsChanged] = "Member's groups changed",
        [AuditActions.MemberSuspended] = "Member suspended",
        [AuditActions.MemberReactivated] = "Member reactivated",
        [AuditActions.MemberUnlocked] = "Member unlocked",
        [AuditActions.MemberSignedOutEverywhere] = "Member signed out everywhere",
        [AuditActions.MemberDeleted] = "Member deleted",
        [AuditActions.MembersBulkAddedToGroup] = "Members added to a group (bulk)",
        [AuditActions.MembersBulkSuspended] = "Members suspended (bulk)",
        [AuditActions.MemberGroupCreated] = "Member group created",
        [AuditActions.MemberGroupRenamed] = "Member group renamed",
        [AuditActions.MemberGroupDeleted] = "Member group deleted",
        [AuditActions.MemberRegistrationSettingsChanged] = "Member registration settings changed",
        [AuditActions.MemberProfileSchemaChanged] = "Member profile fields changed",
        [AuditActions.LogRetentionChanged] = "Server log retention changed",
        [AuditActions.LogsExported] = "Server logs exported",
        // Monthly audit review (issue 12 part C2)
        [AuditActions.AuditReviewRequested] = "Audit review requested",
        [AuditActions.AuditReviewPrepared] = "Audit review prepared",
        [AuditActions.AuditReviewFindingAcknowledged] = "Audit finding acknowledged",
        [AuditActions.AuditReviewFindingEscalated] = "Audit finding escalated",
        [AuditActions.AuditReviewSignedOff] = "Audit review signed off",
        [AuditActions.AuditReviewOverdueReminded] = "Audit review overdue reminder",
        [AuditActions.AuditReviewSettingsChanged] = "Audit review settings changed",
        [AuditActions.AuditFilterSaved] = "Audit filter saved",
        [AuditActions.AuditFilterDeleted] = "Audit filter deleted",
        // Audit retention and "Verify now" (issue 12 C1).
        [AuditActions.AuditRetentionChanged] = "Audit retention changed",
        [AuditActions.AuditRetentionPurged] = "Old audit entries purged",
        [AuditActions.AuditRetentionPurgeRefused] = "Audit purge refused (broken chain)",
        [AuditActions.AuditVerificationRequested] = "Audit verification started",
        // Scoped restore (issue 13).
        [AuditActions.RestoreRecordRestored] = "Record restored from a backup",
        [AuditActions.RestoreRequestReceived] = "Restore request received",
        [AuditActions.RestoreRequestQuoted] = "Restore request quoted",
        [AuditActions.RestoreRequestApproved] = "Restore request approved",
        [AuditActions.RestoreRequestExtractionStarted] = "Restore request extraction started",
        [AuditActions.RestoreRequestExtracted] = "Restore request extracted",
        [AuditActions.RestoreRequestApplyStarted] = "Restore request apply started",
        [AuditActions.RestoreRequestApplied] = "Restore request applied",
        [AuditActions.RestoreRequestNotified] = "Restore request customer notified",
        [AuditActions.RestoreRequestFailed] = "Restore request step failed",
        [AuditActions.RestoreRequestCancelled] = "Restore request cancelled",
        [AuditActions.RestoreRequestDeclined] = "Restore request declined",
        [AuditActions.RestoreRequestSettingsChanged] = "Restore request settings changed",
        // Maintenance mode, the full restore, drills, downloads and alarms (issue 13).
        [AuditActions.MaintenanceTurnedOn] = "Maintenance mode turned on",
        [AuditActions.MaintenanceTurnedOff] = "Maintenance mode turned off",
        [AuditActions.FullRestoreRequested] = "Full restore requested",
        [AuditActions.FullRestoreConfirmed] = "Full restore confirmed",
        [AuditActions.FullRestoreRejected] = "Full restore rejected",
        [AuditActions.FullRestoreCancelled] = "Full restore withdrawn",
        [AuditActions.FullRestoreConfirmationRefused] = "Full restore self-confirmation refused",
        [AuditActions.FullRestoreStepCompleted] = "Full restore step completed",
        [AuditActions.FullRestoreCompleted] = "Full restore completed",
        [AuditActions.FullRestoreFailed] = "Full restore failed",
        [AuditActions.BackupDrillRequested] = "Restore drill requested",
        [AuditActions.BackupDrillPassed] = "Restore drill passed",
        [AuditActions.BackupDrillFailed] = "Restore drill failed",
        [AuditActions.BackupDownloadLinkIssued] = "Backup download link issued",
        [AuditActions.BackupDownloaded] = "Backup downloaded",
        [AuditActions.BackupAlarmRaised] = "Backup alarm raised",
        [AuditActions.AlertRuleCreated] = "Alert rule created",
        [AuditActions.AlertRuleUpdated] = "Alert rule changed",
        [AuditActions.AlertRuleDeleted] = "Alert rule deleted",
        // Backups (issue 13, feat/backup-engine).
        [AuditActions.BackupStarted] = "Backup started",
        [AuditActions.BackupCompleted] = "Backup completed",
        [AuditActions.BackupFailed] = "Backup failed",
        [AuditActions.BackupRequested] = "Backup requested",
        [AuditActions.BackupStoreFailed] = "Backup storage failed",
        [AuditActions.BackupSettingsChanged] = "Backup settings changed",
        // Jobs screen (issue 14, feat/jobs-security).
        [AuditActions.JobRetried] = "Failed job retried",
        [AuditActions.JobTriggered] = "Recurring job run now",
        // Incidents (issue 14, feat/incidents).
        [AuditActions.IncidentOpened] = "Incident opened",
        [AuditActions.IncidentAdvanced] = "Incident step reached",
        [AuditActions.IncidentClassified] = "Incident changed",
        [AuditActions.IncidentNoteAdded] = "Incident note added",
        [AuditActions.IncidentProgressOverdue] = "Incident progress report overdue",
        [AuditActions.IncidentNoticeSent] = "Incident notice sent",
        [AuditActions.NoticeContactCreated] = "Notice contact added",
        [AuditActions.NoticeContactUpdated] = "Notice contact changed",
        [AuditActions.NoticeContactDeleted] = "Notice contact removed",
        [AuditActions.NoticeContactUnsubscribed] = "Notice contact unsubscribed",
        // SLA (issue 14, feat/sla).
        [AuditActions.SlaSettingsChanged] = "SLA settings changed",
        [AuditActions.SlaMaintenanceScheduled] = "Maintenance scheduled",
        [AuditActions.SlaMaintenanceUpdated] = "Maintenance changed",
        [AuditActions.SlaMaintenanceCancelled] = "Maintenance cancelled",
        [AuditActions.SlaReportMailed] = "SLA report mailed",
    };

    /// <summary>Every action code (the constants of <see cref="AuditActions"/>), in declaration order.</summary>
    public static IReadOnlyList<string> Actions => AuditActions.All;

    /// <summary>The resource key of an area's name (<c>area:{code}</c>, en + ja in AuditResource), for the grouped action filter.</summary>
    public static string AreaName(string area) => "area:" + area;

    /// <summary>
    /// The actions grouped by area (the code's prefix before the first dot: <c>auth.</c>, <c>staff.</c>, …), areas and
    /// actions in declaration order, for the grouped action filter.
    /// </summary>
    public static IReadOnlyList<(string Area, IReadOnlyList<string> Actions)> ActionsByArea { get; } =
    [
        .. AuditActions.Areas.Select(a => (a.Code, a.Actions)),
    ];

    public static string PresetName(AuditTimePreset preset) => preset switch
    {
        AuditTimePreset.Today => "Today",
        AuditTimePreset.Yesterday => "Yesterday",
        AuditTimePreset.Last7Days => "Last 7 days",
        AuditTimePreset.Last30Days => "Last 30 days",
        AuditTimePreset.ThisMonth => "This month",
        AuditTimePreset.LastMonth => "Last month",
        _ => "Custom range",
    };

    public static IReadOnlyList<AuditOutcome> Outcomes { get; } = Enum.GetValues<AuditOutcome>();

    /// <summary>
    /// The summary a person reads, in the current UI culture, with times in <paramref name="zoneId"/> (the default zone
    /// when null): rendered from the action and parameters (format 2), or the stored English text (format 1).
    /// </summary>
    public static string Summary(IStringLocalizer<AuditResource> localizer, string? zoneId, AuditEntry entry) =>
        Renderer(localizer, zoneId).Summary(entry);

    /// <summary>An entity type's name in the current language (<c>entity:{code}</c>), the code itself when it has none.</summary>
    public static string EntityTypeName(IStringLocalizer<AuditResource> localizer, string code) =>
        Renderer(localizer, null).EntityTypeName(code);

    /// <summary>The renderer of roles, entity types, field labels and values for one viewer.</summary>
    public static AuditRenderer Renderer(IStringLocalizer<AuditResource> localizer, string? zoneId) =>
        new(localizer, StaffTimeZones.Find(string.IsNullOrEmpty(zoneId) ? null : zoneId));

    /// <summary>The English name of an action (a key of AuditResource), or the code itself when it has none.</summary>
    public static string ActionName(string code) => ActionNames.GetValueOrDefault(code, code);

    public static string OutcomeName(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => "Success",
        AuditOutcome.Failure => "Failure",
        AuditOutcome.Denied => "Denied",
        _ => outcome.ToString(),
    };

    public static Color OutcomeColor(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => Color.Success,
        AuditOutcome.Failure => Color.Error,
        AuditOutcome.Denied => Color.Warning,
        _ => Color.Default,
    };

    public static string ProblemExplanation(AuditChainProblem problem) => problem switch
    {
        AuditChainProblem.HashMismatch => "The entry's content no longer matches its hash: it was edited after it was written.",
        AuditChainProblem.BrokenLink => "The entry does not point to the entry before it: an entry was removed or inserted.",
        AuditChainProblem.SequenceGap => "A sequence number is missing: an entry was deleted.",
        AuditChainProblem.Truncated => "The log ends before the last entry an earlier check saw: the newest entries were deleted.",
        AuditChainProblem.AnchorMismatch => "The entry an earlier check saw has changed: the log was rewritten from this entry on.",
        AuditChainProblem.CheckpointMismatch => "The retention checkpoint in the database does not match the one kept outside it: old entries were removed, or the checkpoint moved, without the retention purge.",
        _ => "",
    };
}
