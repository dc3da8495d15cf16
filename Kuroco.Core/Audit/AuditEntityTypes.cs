using System.Reflection;

namespace Kuroco.Core.Audit;

/// <summary>
/// The entity types audit entries name (<see cref="AuditRecord.EntityType"/>). Stored, so never rename one. Each needs
/// the name <c>entity:{code}</c> in AuditResource (en + ja), which is what the console shows instead of the code.
/// </summary>
public static class AuditEntityTypes
{
    /// <summary>Every entity type code (the constants of this class), in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        .. typeof(AuditEntityTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!),
    ];

    public const string Staff = "Staff";
    public const string ApiKey = "ApiKey";
    public const string PasswordPolicy = "PasswordPolicy";
    public const string SessionPolicy = "SessionPolicy";
    public const string IpAllowlist = "IpAllowlist";
    public const string Page = "Page";

    public const string ContentType = "ContentType";
    public const string ContentItem = "ContentItem";
    public const string MediaItem = "MediaItem";
    public const string Webhook = "Webhook";
    public const string WebhookDelivery = "WebhookDelivery";
    public const string WebhookAllowedHosts = "WebhookAllowedHosts";

    public const string Member = "Member";
    public const string MemberGroup = "MemberGroup";
    public const string MemberImport = "MemberImport";
    public const string MemberPasswordPolicy = "MemberPasswordPolicy";
    public const string MemberRegistrationSettings = "MemberRegistrationSettings";
    public const string MemberProfileSchema = "MemberProfileSchema";

    public const string Mail = "Mail";
    public const string ServerLogs = "ServerLogs";
    public const string AuditLog = "AuditLog";
    public const string AuditSavedFilter = "AuditSavedFilter";
    public const string AuditReview = "AuditReview";
    public const string AuditReviewFinding = "AuditReviewFinding";
    public const string AuditReviewSettings = "AuditReviewSettings";

    public const string Backup = "Backup";
    public const string BackupSettings = "BackupSettings";
    // Restore requests (feat/restore-requests).
    public const string RestoreRequest = "RestoreRequest";
    public const string RestoreRequestSettings = "RestoreRequestSettings";
    public const string MaintenanceMode = "MaintenanceMode";
    public const string FullRestore = "FullRestore";
    public const string BackupAlarm = "BackupAlarm";
    // Jobs screen (feat/jobs-security).
    public const string BackgroundJob = "BackgroundJob";
    // Incidents (feat/incidents).
    public const string Incident = "Incident";
    public const string NoticeContact = "NoticeContact";
    // Monitoring (feat/monitoring).
    public const string AlertRule = "AlertRule";
    // SLA (feat/sla).
    public const string SlaSettings = "SlaSettings";
    public const string MaintenanceWindow = "MaintenanceWindow";
    public const string SlaReport = "SlaReport";
}
