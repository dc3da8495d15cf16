using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kuroco.Core.Audit;

/// <summary>Computes the chain hash of an audit entry.</summary>
public static class AuditHasher
{
    /// <summary>The previous hash of the first entry in the chain.</summary>
    public static readonly string GenesisHash = new('0', AuditEntry.HashLength);

    public static string Compute(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var builder = new StringBuilder(512);
        // Format 2 and later start with the format, so a format-2 entry never hashes like a format-1 one;
        // format 1 keeps its original layout, so entries written before issue 12 still verify.
        var parametersFormat = entry.FormatVersion >= AuditEntry.ParametersFormat;
        if (parametersFormat)
        {
            Append(builder, entry.FormatVersion.ToString(CultureInfo.InvariantCulture));
        }
        // Each field is length-prefixed so that no two different entries can serialize alike.
        Append(builder, entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Append(builder, entry.OccurredAtUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        Append(builder, entry.ActorId);
        Append(builder, entry.ActorName);
        Append(builder, entry.ActorRoles);
        Append(builder, entry.Action);
        Append(builder, entry.EntityType);
        Append(builder, entry.EntityId);
        Append(builder, entry.Summary);
        if (parametersFormat)
        {
            Append(builder, entry.Parameters);
        }
        Append(builder, entry.Changes);
        Append(builder, ((int)entry.Outcome).ToString(CultureInfo.InvariantCulture));
        Append(builder, entry.IpAddress);
        Append(builder, entry.UserAgent);
        Append(builder, entry.CorrelationId);
        Append(builder, entry.PreviousHash);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
        return Convert.ToHexStringLower(bytes);
    }

    private static void Append(StringBuilder builder, string? value)
    {
        if (value is null)
        {
            builder.Append("-1:");
            return;
        }
        builder.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
    }
}
