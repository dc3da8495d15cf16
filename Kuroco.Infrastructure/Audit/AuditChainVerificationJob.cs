using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Nightly: verifies the audit hash chain. A break writes an alert entry and mails every enabled
/// SecurityOfficer. Idempotent: running it twice only verifies twice.
/// </summary>
public sealed partial class AuditChainVerificationJob(
    IAuditReader reader,
    IAuditLog auditLog,
    AuditIntegrityAlerts alerts,
    ILogger<AuditChainVerificationJob> logger) : IRecurringJob
{
    public const string JobId = "audit-chain-verification";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var result = await reader.VerifyChainAsync(cancellationToken);
        if (result.IsIntact)
        {
            LogIntact(logger, result.EntriesChecked);
            await auditLog.WriteAsync(new AuditRecord(
                AuditActions.AuditChainVerified, "AuditLog", null,
                AuditParameters.Of(("entries", result.EntriesChecked.ToString(CultureInfo.InvariantCulture)))),
                cancellationToken);
            return;
        }

        // For the alert mail (bilingual, not the audit entry: that is stored language-neutral).
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Audit chain broken at entry {result.FirstBrokenSequence} ({result.Problem}).");
        LogBroken(logger, result.FirstBrokenSequence, result.Problem);
        await auditLog.WriteAsync(new AuditRecord(
            AuditActions.AuditChainBroken, "AuditLog", result.FirstBrokenSequence?.ToString(CultureInfo.InvariantCulture),
            AuditParameters.Of(
                ("sequence", result.FirstBrokenSequence?.ToString(CultureInfo.InvariantCulture)),
                ("problem", result.Problem.ToString())),
            AuditOutcome.Failure), cancellationToken);

        await alerts.SendAsync(summary, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit chain verified: {Count} entries intact.")]
    private static partial void LogIntact(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Audit chain broken at entry {Sequence}: {Problem}.")]
    private static partial void LogBroken(ILogger logger, long? sequence, AuditChainProblem problem);
}
