using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Logs;

namespace Kuroco.Infrastructure.Logs;

/// <summary>The server-log retention, kept in the log store itself; a change is audited, a value below the floor refused.</summary>
public sealed class LogRetentionSettings(ILogStore store, IAuditLog audit) : ILogRetentionSettings
{
    public async Task<int> GetMonthsAsync(CancellationToken cancellationToken = default) =>
        await store.GetRetentionMonthsAsync(cancellationToken) is { } months && LogRetention.IsValid(months) ? months : LogRetention.DefaultMonths;

    public async Task<string?> SetMonthsAsync(int months, CancellationToken cancellationToken = default)
    {
        if (!LogRetention.IsValid(months))
        {
            return CoreMessages.Format("Logs.RetentionRange", LogRetention.MinMonths, LogRetention.MaxMonths);
        }
        var before = await GetMonthsAsync(cancellationToken);
        if (before == months)
        {
            return null;
        }
        await store.SetRetentionMonthsAsync(months, cancellationToken);
        await audit.WriteAsync(new AuditRecord(
            AuditActions.LogRetentionChanged, "ServerLogs", null,
            AuditParameters.Of(("before", before.ToString(CultureInfo.InvariantCulture)), ("after", months.ToString(CultureInfo.InvariantCulture))),
            changes: [new FieldChange("RetentionMonths", before.ToString(CultureInfo.InvariantCulture), months.ToString(CultureInfo.InvariantCulture))]),
            cancellationToken);
        return null;
    }
}
