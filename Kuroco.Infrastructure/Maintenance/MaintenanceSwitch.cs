using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;

namespace Kuroco.Infrastructure.Maintenance;

/// <summary>Turns maintenance mode on and off (see <see cref="IMaintenanceSwitch"/>); each change is an audit entry.</summary>
internal sealed class MaintenanceSwitch(
    FileMaintenanceMode mode,
    IAuditLog auditLog,
    IAuditContext auditContext,
    TimeProvider clock) : IMaintenanceSwitch
{
    public async Task<Result> TurnOnAsync(string reason, DateTimeOffset? expectedEndUtc, AuditActor? actor, CancellationToken cancellationToken)
    {
        if (!MaintenanceReasons.All.Contains(reason, StringComparer.Ordinal))
        {
            return Result.Invalid(FullRestoreMessages.Get("Maintenance.UnknownReason"));
        }
        var now = clock.GetUtcNow();
        if (expectedEndUtc is { } end && end <= now)
        {
            return Result.Invalid(FullRestoreMessages.Get("Maintenance.EndInPast"));
        }
        var who = actor ?? await auditContext.GetActorAsync();
        if (actor is null && !who.Roles.Contains(StaffRoles.Administrator, StringComparer.Ordinal))
        {
            return Result.Forbidden(FullRestoreMessages.Get("Maintenance.AdministratorsOnly"));
        }
        var current = mode.Current;
        mode.Write(new MaintenanceState(true, reason, current.IsOn ? current.StartedAtUtc : now, expectedEndUtc, who.UserId, who.Name));
        await auditLog.WriteAsync(new AuditRecord(
            AuditActions.MaintenanceTurnedOn, AuditEntityTypes.MaintenanceMode, null,
            AuditParameters.Of(
                ("reason", reason),
                ("expectedEnd", expectedEndUtc?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-")))
        { Actor = actor }, cancellationToken);
        return Result.Success;
    }

    public async Task<Result> TurnOffAsync(AuditActor? actor, CancellationToken cancellationToken)
    {
        var current = mode.Current;
        if (!current.IsOn)
        {
            return Result.Success;
        }
        var who = actor ?? await auditContext.GetActorAsync();
        if (actor is null && !who.Roles.Contains(StaffRoles.Administrator, StringComparer.Ordinal))
        {
            return Result.Forbidden(FullRestoreMessages.Get("Maintenance.AdministratorsOnly"));
        }
        mode.Write(MaintenanceState.Off);
        var minutes = current.StartedAtUtc is { } started ? (long)Math.Round((clock.GetUtcNow() - started).TotalMinutes) : 0;
        await auditLog.WriteAsync(new AuditRecord(
            AuditActions.MaintenanceTurnedOff, AuditEntityTypes.MaintenanceMode, null,
            AuditParameters.Of(("reason", current.Reason), ("minutes", minutes.ToString(CultureInfo.InvariantCulture))))
        { Actor = actor }, cancellationToken);
        return Result.Success;
    }
}
