using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Mail;

namespace Kuroco.Infrastructure.Backups.Alarm;

/// <summary>
/// The backup alarm's mail, through the outbox, to every enabled Operator: one mail each, in the recipient's language
/// with the window's times in the recipient's zone (texts in Kuroco.Core/Resources/BackupAlarmMessages(.ja).resx).
/// </summary>
public sealed class BackupAlarmMailer(IStaffDirectory directory, NoticeMailer notices)
{
    public const string MailKind = "backup-alarm";

    public async Task<int> SendAsync(BackupAlarm alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var sent = 0;
        var night = alarm.Night.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var to in await directory.GetRecipientsInRoleAsync(StaffRoles.Operator, cancellationToken))
        {
            var culture = StaffLanguages.CultureOf(to.Language);
            var subject = BackupAlarmMessages.FormatIn(culture, "Mail.Subject." + alarm.Kind, night);
            var body = BackupAlarmMessages.FormatIn(culture, "Mail.Body", night,
                BackupAlarmMessages.FormatIn(culture, "Mail.Reason." + alarm.Kind, alarm.Stores ?? "-"),
                Time(to, alarm.WindowStartUtc), Time(to, alarm.WindowEndUtc));
            await notices.SendAsync(MailKind, to.Email, to.DisplayName, subject, body, cancellationToken);
            sent++;
        }
        return sent;
    }

    private static string Time(StaffRecipient to, DateTimeOffset utc) =>
        BackupAlarmMessages.FormatIn(StaffLanguages.CultureOf(to.Language), "Mail.Time",
            StaffTimeZones.ToLocal(utc.UtcDateTime, to.TimeZoneId), StaffTimeZones.Find(to.TimeZoneId).Id);
}
