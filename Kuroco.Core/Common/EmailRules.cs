using System.Net.Mail;

namespace Kuroco.Core.Common;

public static class EmailRules
{
    public const int MaxLength = 256;

    /// <summary>A single plain address (no display name, no line breaks, no list).</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || !HeaderValues.IsSafe(value)
            || value.Trim() != value || value.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }
        return MailAddress.TryCreate(value, out var parsed)
            && string.Equals(parsed.Address, value, StringComparison.Ordinal)
            && parsed.Host.Length > 0;
    }
}
