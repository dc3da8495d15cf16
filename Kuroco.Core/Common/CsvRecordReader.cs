using System.Text;

namespace Kuroco.Core.Common;

/// <summary>A CSV file that cannot be read as records (a cell or a row past the limits, an unterminated quote).</summary>
public sealed class CsvFormatException(string message, int record) : Exception(message)
{
    /// <summary>The 1-based record (spreadsheet row) where reading stopped.</summary>
    public int Record { get; } = record;
}

/// <summary>
/// Reads RFC 4180 records one at a time from text (comma separated; a quoted cell may hold commas, doubled quotes and
/// line breaks; CRLF, LF or CR line ends). Memory stays at one record whatever the file's size. A record's number is
/// its spreadsheet row: the header is 1, the first data row 2, whatever line breaks the cells hold.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    /// <summary>Longest cell accepted (characters).</summary>
    public const int MaxCellLength = 64 * 1024;

    /// <summary>Most cells in one record.</summary>
    public const int MaxCells = 500;

    private readonly char[] buffer = new char[16 * 1024];
    private readonly StringBuilder cell = new();
    private readonly List<string> cells = [];
    private int position;
    private int length;
    private bool ended;

    /// <summary>The number of the record <see cref="Read"/> returned last (0 before the first).</summary>
    public int Record { get; private set; }

    /// <summary>The next record's cells, or null at the end. A completely empty line is skipped (it still counts as a row).</summary>
    public string[]? Read()
    {
        while (true)
        {
            var record = ReadRecord();
            if (record is null)
            {
                return null;
            }
            Record++;
            if (record.Length == 1 && record[0].Length == 0)
            {
                continue;
            }
            return record;
        }
    }

    private string[]? ReadRecord()
    {
        if (!Fill())
        {
            return null;
        }
        cells.Clear();
        cell.Clear();
        var quoted = false;
        var atCellStart = true;
        while (true)
        {
            if (!Fill())
            {
                if (quoted)
                {
                    throw new CsvFormatException("A quoted cell is not closed before the end of the file.", Record + 1);
                }
                AddCell();
                return [.. cells];
            }
            var c = buffer[position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (Fill() && buffer[position] == '"')
                    {
                        position++;
                        Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when atCellStart:
                    quoted = true;
                    atCellStart = false;
                    break;
                case ',':
                    AddCell();
                    atCellStart = true;
                    break;
                case '\r':
                    if (Fill() && buffer[position] == '\n')
                    {
                        position++;
                    }
                    AddCell();
                    return [.. cells];
                case '\n':
                    AddCell();
                    return [.. cells];
                default:
                    // A quote inside an unquoted cell is kept as text (lenient, as spreadsheets are).
                    Append(c);
                    atCellStart = false;
                    break;
            }
        }
    }

    private void Append(char c)
    {
        if (cell.Length >= MaxCellLength)
        {
            throw new CsvFormatException($"A cell is longer than {MaxCellLength} characters.", Record + 1);
        }
        cell.Append(c);
    }

    private void AddCell()
    {
        if (cells.Count >= MaxCells)
        {
            throw new CsvFormatException($"A row has more than {MaxCells} cells.", Record + 1);
        }
        cells.Add(cell.ToString());
        cell.Clear();
    }

    private bool Fill()
    {
        if (position < length)
        {
            return true;
        }
        if (ended)
        {
            return false;
        }
        length = reader.Read(buffer, 0, buffer.Length);
        position = 0;
        if (length == 0)
        {
            ended = true;
            return false;
        }
        return true;
    }
}
