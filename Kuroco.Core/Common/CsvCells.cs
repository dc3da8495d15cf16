using System.Globalization;
using System.Text;

namespace Kuroco.Core.Common;

/// <summary>
/// The one CSV cell rule of the app (RFC 4180: comma separated, CRLF line ends, a field quoted when it holds a comma,
/// quote or line break) with CSV-injection protection: a text cell that a spreadsheet would read as a formula (starting
/// with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR) gets a leading apostrophe, so a value can never run as a
/// formula in the reader's spreadsheet. Every CSV the console writes (audit export, member export, import reports) goes
/// through here.
/// </summary>
public static class CsvCells
{
    /// <summary>The apostrophe put in front of a value that would otherwise start a formula.</summary>
    public const char FormulaGuard = '\'';

    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    /// <summary>True when a spreadsheet would read <paramref name="value"/> as a formula (or a DDE call).</summary>
    public static bool StartsLikeFormula(string? value) =>
        !string.IsNullOrEmpty(value) && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>The value with a leading apostrophe when it starts like a formula; otherwise unchanged (null becomes "").</summary>
    public static string Neutralize(string? value) =>
        StartsLikeFormula(value) ? FormulaGuard + value : value ?? "";

    /// <summary>
    /// The reverse of <see cref="Neutralize"/> for a value read back from a CSV the console wrote: an apostrophe followed
    /// by a formula character is dropped, anything else is left alone. Lets an export be re-imported unchanged.
    /// </summary>
    public static string Restore(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length >= 2 && value[0] == FormulaGuard && StartsLikeFormula(value[1..]) ? value[1..] : value;
    }

    /// <summary>One text cell: formula-guarded, then quoted if it needs to be.</summary>
    public static string Text(string? value) => Quote(Neutralize(value));

    /// <summary>A number written as it is (a negative number is not a formula): invariant culture.</summary>
    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A UTC instant as ISO 8601 with a Z (empty when null): starts with a digit, so it needs no guard.</summary>
    public static string Utc(DateTime? value) =>
        value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>Quotes a cell that holds a comma, quote or line break (quotes doubled); no formula guard.</summary>
    public static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        return value.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One record: cells already made with <see cref="Text"/>, <see cref="Number"/> or <see cref="Utc"/>, joined, CRLF-terminated.</summary>
    public static string Line(IEnumerable<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var builder = new StringBuilder();
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                builder.Append(',');
            }
            builder.Append(cell);
            first = false;
        }
        return builder.Append("\r\n").ToString();
    }
}
