using Kuroco.Core.Common;

namespace Kuroco.Core.Security;

/// <summary>Which part of the site an allowlist guards. Stored, so never renumber.</summary>
public enum IpAllowlistKind
{
    /// <summary>The console: every path except /api/* and /health/*.</summary>
    Console = 0,
    /// <summary>The JSON API: /api/*.</summary>
    Api = 1,
}

/// <summary>One range of an allowlist as a person edits it: a CIDR (or a single address) and a comment.</summary>
public sealed record IpAllowlistEntry(string Cidr, string? Comment)
{
    public const int CidrMaxLength = 64;
    public const int CommentMaxLength = 200;

    /// <summary>How the entry reads in an audit entry's before/after.</summary>
    public override string ToString() => string.IsNullOrWhiteSpace(Comment) ? Cidr : $"{Cidr} ({Comment})";
}

/// <summary>One stored allowlist row.</summary>
public sealed class IpAllowlistRule
{
    public int Id { get; set; }
    public IpAllowlistKind List { get; set; }
    /// <summary>Order on screen.</summary>
    public int Position { get; set; }
    public string Cidr { get; set; } = "";
    public string? Comment { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>The allowlists in force, read from a cache (cheap enough for every request).</summary>
public interface IIpAllowlistProvider
{
    ValueTask<IpAllowlists> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops the cache so that the next read loads the database.</summary>
    void Invalidate();
}

/// <summary>Reads and changes the allowlists; every change is audited with before and after.</summary>
public interface IIpAllowlistService
{
    Task<IReadOnlyList<IpAllowlistEntry>> ListAsync(IpAllowlistKind kind, CancellationToken cancellationToken = default);

    /// <summary>Replaces the list; a malformed or duplicate range is a <see cref="ErrorKind.Validation"/> failure and nothing changes.</summary>
    Task<Result> SaveAsync(IpAllowlistKind kind, IReadOnlyList<IpAllowlistEntry> entries, CancellationToken cancellationToken = default);
}
