using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Kuroco.Infrastructure.Backups;

/// <summary>
/// Generation ids ("20261206T170000Z-3f2a"): UTC start time and 4 random hex digits, so they sort by time. Every id that
/// reaches a path or an object key is checked against <see cref="IsValid"/> first; ids are never built from user input.
/// </summary>
internal static partial class BackupGenerationId
{
    public static string New(DateTimeOffset startedAtUtc) =>
        startedAtUtc.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    public static string Check(string id) =>
        IsValid(id) ? id : throw new ArgumentException("Not a backup generation id.", nameof(id));

    /// <summary>Object names inside a generation: lower-case letters, digits, '.', '-'; no path separators.</summary>
    public static bool IsValidObjectName(string? name) => name is not null && ObjectPattern().IsMatch(name);

    public static string CheckObjectName(string name) =>
        IsValidObjectName(name) ? name : throw new ArgumentException("Not a backup object name.", nameof(name));

    [GeneratedRegex(@"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectPattern();
}
