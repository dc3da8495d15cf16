namespace Kuroco.Core.Audit;

public enum AuditOutcome
{
    Success = 0,
    Failure = 1,
    Denied = 2,
}

/// <summary>
/// One entry of the append-only audit log. Entries form a hash chain: <see cref="Hash"/> is
/// SHA-256 over the entry's content and <see cref="PreviousHash"/>, so editing or deleting any
/// entry breaks the chain from that point on.
/// </summary>
public sealed class AuditEntry
{
    public const int ActionMaxLength = 100;
    public const int EntityTypeMaxLength = 100;
    public const int EntityIdMaxLength = 200;
    public const int SummaryMaxLength = 1000;
    public const int ActorNameMaxLength = 256;
    public const int ActorRolesMaxLength = 400;
    public const int IpAddressMaxLength = 64;
    public const int UserAgentMaxLength = 512;
    public const int CorrelationIdMaxLength = 100;
    public const int HashLength = 64;

    /// <summary>Format 1: an English summary is stored (entries written before issue 12).</summary>
    public const int LegacyFormat = 1;

    /// <summary>Format 2: language-neutral; the action and <see cref="Parameters"/> are stored and the summary is rendered when shown.</summary>
    public const int ParametersFormat = 2;

    /// <summary>Position in the chain, starting at 1, without gaps. Unique.</summary>
    public long Sequence { get; set; }

    /// <summary>When it happened, in UTC (from <see cref="TimeProvider"/>).</summary>
    public DateTime OccurredAtUtc { get; set; }

    public string? ActorId { get; set; }
    public string ActorName { get; set; } = "";
    public string ActorRoles { get; set; } = "";

    public string Action { get; set; } = "";
    public string EntityType { get; set; } = "";
    public string? EntityId { get; set; }
    /// <summary>The English sentence of a format-1 entry; empty in format 2 (rendered from the action and parameters).</summary>
    public string Summary { get; set; } = "";

    /// <summary>How the entry is stored: <see cref="LegacyFormat"/> or <see cref="ParametersFormat"/>. Covered by the hash from format 2 on.</summary>
    public int FormatVersion { get; set; } = LegacyFormat;

    /// <summary>Format 2: JSON object of the summary's parameters, keys sorted (see <see cref="AuditParameters"/>).</summary>
    public string? Parameters { get; set; }

    /// <summary>JSON array of changed fields with before and after values; secrets are masked before they get here.</summary>
    public string? Changes { get; set; }

    public AuditOutcome Outcome { get; set; }

    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? CorrelationId { get; set; }

    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";
}
