namespace Kuroco.Core.Audit;

/// <summary>Action codes of audit entries. Stored, so never rename one.</summary>
public static class AuditActions
{
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

    // Audit retention and "Verify now" (issue 12 part C1, feat/audit-retention). Entity type "AuditLog".
    public const string AuditRetentionChanged = "audit.retention-changed";
    public const string AuditRetentionPurged = "audit.retention-purged";
    public const string AuditRetentionPurgeRefused = "audit.retention-purge-refused";
    public const string AuditVerificationRequested = "audit.verification-requested";
}
