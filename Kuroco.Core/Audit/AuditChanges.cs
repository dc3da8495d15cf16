using System.Text.Json;

namespace Kuroco.Core.Audit;

/// <summary>Builds the before/after list of an audit entry, masking anything secret.</summary>
public static class AuditChanges
{
    public const string Masked = "***";

    private static readonly string[] SecretMarkers =
        ["password", "secret", "token", "apikey", "api_key", "hash", "stamp", "recovery", "authenticator", "otp"];

    // Flags about a secret ("MustChangePassword", "HasAuthenticator") are not secrets themselves.
    private static readonly string[] FlagPrefixes = ["Must", "Is", "Has", "Require", "Allow", "Enable"];

    public static bool IsSecret(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (FlagPrefixes.Any(p => field.StartsWith(p, StringComparison.Ordinal) && field.Length > p.Length && char.IsUpper(field[p.Length])))
        {
            return false;
        }
        return SecretMarkers.Any(m => field.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The fields whose values differ between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static IReadOnlyList<FieldChange> Diff(
        IReadOnlyDictionary<string, string?> before,
        IReadOnlyDictionary<string, string?> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<FieldChange>();
        foreach (var field in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(field, out var b);
            after.TryGetValue(field, out var a);
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                changes.Add(Mask(new FieldChange(field, b, a)));
            }
        }
        return changes;
    }

    public static FieldChange Mask(FieldChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return IsSecret(change.Field)
            ? change with { Before = change.Before is null ? null : Masked, After = change.After is null ? null : Masked }
            : change;
    }

    public static string? Serialize(IReadOnlyList<FieldChange>? changes) =>
        changes is null || changes.Count == 0 ? null : JsonSerializer.Serialize(changes.Select(Mask).ToList());

    public static IReadOnlyList<FieldChange> Deserialize(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<FieldChange>>(json) ?? [];
}
