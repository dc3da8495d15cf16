using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Security;

/// <summary>Saves an allowlist as a whole (replace all rows), audits before and after, refreshes the cache.</summary>
internal sealed class IpAllowlistService(
    KurocoDbContext db,
    IIpAllowlistProvider provider,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IIpAllowlistService
{
    private static readonly IpAllowlistEntriesValidator Validator = new();

    public async Task<IReadOnlyList<IpAllowlistEntry>> ListAsync(IpAllowlistKind kind, CancellationToken cancellationToken = default) =>
        await db.IpAllowlistRules.AsNoTracking().Where(r => r.List == kind).OrderBy(r => r.Position)
            .Select(r => new IpAllowlistEntry(r.Cidr, r.Comment)).ToListAsync(cancellationToken);

    public async Task<Result> SaveAsync(IpAllowlistKind kind, IReadOnlyList<IpAllowlistEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        IReadOnlyList<IpAllowlistEntry> cleaned = [.. entries.Select(Clean)];
        var validation = await Validator.ValidateAsync(cleaned, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }

        var existing = await db.IpAllowlistRules.Where(r => r.List == kind).OrderBy(r => r.Position).ToListAsync(cancellationToken);
        var before = existing.Select(r => new IpAllowlistEntry(r.Cidr, r.Comment)).ToList();
        if (before.SequenceEqual(cleaned))
        {
            return Result.Success;
        }
        var actor = await auditContext.GetActorAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        db.IpAllowlistRules.RemoveRange(existing);
        db.IpAllowlistRules.AddRange(cleaned.Select((e, i) => new IpAllowlistRule
        {
            List = kind,
            Position = i,
            Cidr = e.Cidr,
            Comment = e.Comment,
            UpdatedAtUtc = now,
            UpdatedBy = actor.Name,
        }));
        await db.SaveChangesAsync(cancellationToken);
        provider.Invalidate();

        var field = kind == IpAllowlistKind.Api ? "ApiAllowlist" : "ConsoleAllowlist";
        await audit.WriteAsync(new AuditRecord(AuditActions.IpAllowlistChanged, "IpAllowlist", kind.ToString(),
            AuditParameters.Of(
                ("kind", kind.ToString()),
                ("before", before.Count.ToString(CultureInfo.InvariantCulture)),
                ("after", cleaned.Count.ToString(CultureInfo.InvariantCulture)),
                ("variant", cleaned.Count == 0 ? "open" : null)),
            AuditOutcome.Success,
            [new FieldChange(field, Describe(before), Describe(cleaned))]), cancellationToken);
        return Result.Success;
    }

    private static IpAllowlistEntry Clean(IpAllowlistEntry entry)
    {
        var cidr = (entry.Cidr ?? "").Trim(' ');
        // Store the canonical form ("198.51.100.7" becomes "198.51.100.7/32").
        if (IpRange.TryParse(cidr, out var network))
        {
            cidr = network.Value.ToString();
        }
        var comment = string.IsNullOrWhiteSpace(entry.Comment) ? null : entry.Comment.Trim();
        return new IpAllowlistEntry(cidr, comment);
    }

    private static string Describe(IReadOnlyList<IpAllowlistEntry> entries) =>
        entries.Count == 0 ? "(open)" : string.Join("; ", entries.Select(e => e.ToString()));
}
