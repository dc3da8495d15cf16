using System.Collections.Concurrent;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Support;

/// <summary>
/// The entries the app appended during one call. <see cref="Begin"/> opens a capture that flows with the caller's async
/// flow (AsyncLocal), so only the entries written by that call (and what it awaits) are recorded, not those of other
/// requests or background jobs running at the same time. Needs <see cref="RecordingAuditLog.Register"/> in the test host.
/// </summary>
public sealed class AuditCapture : IDisposable
{
    private static readonly AsyncLocal<AuditCapture?> CurrentCapture = new();

    private readonly ConcurrentQueue<AuditEntry> entries = new();
    private readonly AuditCapture? outer;

    private AuditCapture(AuditCapture? outer) => this.outer = outer;

    internal static AuditCapture? Current => CurrentCapture.Value;

    /// <summary>The entries appended since <see cref="Begin"/>, in order.</summary>
    public IReadOnlyList<AuditEntry> Entries => [.. entries];

    public static AuditCapture Begin()
    {
        var capture = new AuditCapture(CurrentCapture.Value);
        CurrentCapture.Value = capture;
        return capture;
    }

    internal void Add(AuditEntry entry)
    {
        entries.Enqueue(entry);
        outer?.Add(entry);
    }

    public void Dispose() => CurrentCapture.Value = outer;
}

/// <summary>The app's own audit log, telling the current <see cref="AuditCapture"/> (if any) what it appended.</summary>
public sealed class RecordingAuditLog(IAuditLog inner) : IAuditLog
{
    public async Task<AuditEntry> WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        var entry = await inner.WriteAsync(record, cancellationToken);
        AuditCapture.Current?.Add(entry);
        return entry;
    }

    /// <summary>Puts the recorder in front of the app's <see cref="AuditLog"/> (for ConfigureTestServices).</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddScoped<AuditLog>();
        services.AddScoped<IAuditLog>(sp => new RecordingAuditLog(sp.GetRequiredService<AuditLog>()));
    }
}
