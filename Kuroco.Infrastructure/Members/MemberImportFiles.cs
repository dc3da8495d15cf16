using System.Text;
using System.Text.Json;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// The files of member imports, all under <c>{DataPath}/imports/</c> and named after the import's generated id only:
/// <c>{id}.csv</c> (the upload as received) and <c>{id}.report.jsonl</c> (the dry run's report, one row per line).
/// Uploads land in <c>imports/tmp</c> first and are moved into place once accepted. No user input reaches a path.
/// </summary>
internal sealed class MemberImportFiles(IOptions<StorageOptions> storage)
{
    internal static readonly JsonSerializerOptions ReportJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault,
    };

    public string Root => Path.Combine(storage.Value.DataPath, "imports");

    private string TempFolder => Path.Combine(Root, "tmp");

    public string CsvPath(Guid id) => Path.Combine(Root, id.ToString("N") + ".csv");

    public string ReportPath(Guid id) => Path.Combine(Root, id.ToString("N") + ".report.jsonl");

    /// <summary>Copies at most <paramref name="maxBytes"/> into a new temporary file; null (and nothing kept) when the content is larger.</summary>
    public async Task<(string Path, long Size)?> ReceiveAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(TempFolder);
        var path = Path.Combine(TempFolder, Guid.NewGuid().ToString("N") + ".upload");
        try
        {
            long total = 0;
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        break;
                    }
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            if (total > maxBytes)
            {
                Delete(path);
                return null;
            }
            return (path, total);
        }
        catch
        {
            Delete(path);
            throw;
        }
    }

    /// <summary>Moves an accepted upload to <see cref="CsvPath"/> (same volume: a rename).</summary>
    public void Commit(string tempPath, Guid id)
    {
        Directory.CreateDirectory(Root);
        File.Move(tempPath, CsvPath(id), overwrite: false);
    }

    /// <summary>A text reader over the stored upload in <paramref name="encoding"/> (a UTF-8 byte order mark is skipped); null when the file is gone.</summary>
    public StreamReader? OpenCsv(Guid id, CsvEncoding encoding)
    {
        var path = CsvPath(id);
        if (!File.Exists(path))
        {
            return null;
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return new StreamReader(stream, CsvEncodings.ForReading(encoding), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
    }

    public static CsvEncodingDetection Detect(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return CsvEncodings.Detect(stream);
    }

    /// <summary>Writes the report to a temporary file; <see cref="ReportWriter.CommitAsync"/> moves it into place.</summary>
    public ReportWriter CreateReport(Guid id)
    {
        Directory.CreateDirectory(TempFolder);
        return new ReportWriter(Path.Combine(TempFolder, Guid.NewGuid().ToString("N") + ".report"), ReportPath(id));
    }

    public async IAsyncEnumerable<MemberImportRowResult> ReadReportAsync(Guid id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = ReportPath(id);
        if (!File.Exists(path))
        {
            yield break;
        }
        using var reader = new StreamReader(path, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0 && JsonSerializer.Deserialize<MemberImportRowResult>(line, ReportJson) is { } row)
            {
                yield return row;
            }
        }
    }

    /// <summary>Removes the upload and the report of an import; true when neither is left. Missing files are fine.</summary>
    public bool DeleteAll(Guid id)
    {
        Delete(CsvPath(id));
        Delete(ReportPath(id));
        return !File.Exists(CsvPath(id)) && !File.Exists(ReportPath(id));
    }

    public void DeleteCsv(Guid id) => Delete(CsvPath(id));

    /// <summary>Removes temporary files older than <paramref name="cutoffUtc"/> (interrupted uploads and dry runs); returns how many.</summary>
    public int DeleteTempFilesOlderThan(DateTime cutoffUtc)
    {
        if (!Directory.Exists(TempFolder))
        {
            return 0;
        }
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(TempFolder))
        {
            if (File.GetLastWriteTimeUtc(path) < cutoffUtc)
            {
                Delete(path);
                removed += File.Exists(path) ? 0 : 1;
            }
        }
        return removed;
    }

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the cleanup job tries again.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Report lines written one by one into a temporary file, then moved into place at once.</summary>
    internal sealed class ReportWriter(string tempPath, string finalPath) : IAsyncDisposable
    {
        private readonly StreamWriter writer = new(tempPath, append: false, new UTF8Encoding(false), 64 * 1024);
        private bool committed;

        public Task WriteAsync(MemberImportRowResult row) =>
            writer.WriteLineAsync(JsonSerializer.Serialize(row, ReportJson));

        public async Task CommitAsync()
        {
            await writer.FlushAsync();
            await writer.DisposeAsync();
            File.Move(tempPath, finalPath, overwrite: true);
            committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            await writer.DisposeAsync();
            if (!committed)
            {
                Delete(tempPath);
            }
        }
    }
}
