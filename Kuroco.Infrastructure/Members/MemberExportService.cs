using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// The member list export. Members are read with one streaming query (no tracking) ordered by sign-up, in chunks of
/// <see cref="ChunkSize"/>; each chunk's group memberships come from a second query, then the chunk is written and
/// flushed. Nothing grows with the number of members.
/// </summary>
internal sealed class MemberExportService(IDbContextFactory<KurocoDbContext> contexts, IAuditLog audit, TimeProvider clock) : IMemberExportService
{
    public const int ChunkSize = 1000;

    /// <summary>The fixed CSV columns, before one column per custom field (named by its key). The import recognizes each of them.</summary>
    public static IReadOnlyList<string> CsvHeader { get; } =
        ["id", "email", "displayName", "nameKana", "language", "status", "locked", "groups", "createdAtUtc", "emailVerifiedAtUtc", "lastSignInAtUtc"];

    /// <summary>Separates several groups (and choices) in one CSV cell: the import's default separator.</summary>
    public const string ListSeparator = MemberImportSettings.DefaultGroupDelimiter;

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<Result<int>> ExportAsync(MemberListFilter filter, MemberExportFormat format, CsvEncoding encoding, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(output);
        var errors = filter.Validate();
        if (errors.Count > 0)
        {
            return Result<int>.Invalid(errors);
        }
        IReadOnlyList<FieldDefinition> fields;
        Dictionary<Guid, MemberGroup> groups;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            fields = await MemberImportData.ProfileFieldsAsync(db, cancellationToken);
            groups = await db.MemberGroups.AsNoTracking().ToDictionaryAsync(g => g.Id, cancellationToken);
        }
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == MemberLanguages.Japanese ? MemberLanguages.Japanese : MemberLanguages.English;
        var now = clock.GetUtcNow();
        var count = 0;
        var completed = false;
        try
        {
            var chunks = ChunksAsync(filter, now.UtcDateTime, cancellationToken);
            count = format == MemberExportFormat.Json
                ? await WriteJsonAsync(chunks, fields, groups, output, now, cancellationToken)
                : await WriteCsvAsync(chunks, fields, groups, language, encoding, output, now.UtcDateTime, cancellationToken);
            completed = true;
        }
        finally
        {
            // The format as a code (json, csv-utf-8, csv-shift_jis) and the filter as MemberExport.Describe writes it (never the search text).
            var what = format == MemberExportFormat.Json ? "json" : "csv-" + CsvEncodings.WebName(encoding);
            await audit.WriteAsync(new AuditRecord(AuditActions.MembersExported, "Member", null,
                completed
                    ? AuditParameters.Of(("count", count.ToString(CultureInfo.InvariantCulture)), ("filter", filter.Describe()), ("exportFormat", what))
                    : AuditParameters.Of(("count", count.ToString(CultureInfo.InvariantCulture)), ("filter", filter.Describe()), ("exportFormat", what), ("variant", "stopped")),
                completed ? AuditOutcome.Success : AuditOutcome.Failure), CancellationToken.None);
        }
        return Result.Ok(count);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string? NameKana { get; init; }
        public string Language { get; init; } = "";
        public MemberStatus Status { get; init; }
        public DateTime? LockoutEndUtc { get; init; }
        public string ProfileJson { get; init; } = "{}";
        public DateTime CreatedAtUtc { get; init; }
        public DateTime UpdatedAtUtc { get; init; }
        public DateTime? EmailVerifiedAtUtc { get; init; }
        public DateTime? LastSignInAtUtc { get; init; }
        public List<Guid> GroupIds { get; } = [];
    }

    private async IAsyncEnumerable<List<Row>> ChunksAsync(MemberListFilter filter, DateTime nowUtc, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var lookups = await contexts.CreateDbContextAsync(cancellationToken);
        // The member list's own query path (MemberListQueries), so the export holds exactly the members the list shows.
        var source = await MemberListQueries.FilterAsync(db, filter, nowUtc, cancellationToken);
        var query = MemberListQueries.Ordered(source.Walk, MemberSort.SignedUpAsc)
            .Select(m => new Row
            {
                Id = m.Id,
                Email = m.Email,
                DisplayName = m.DisplayName,
                NameKana = m.NameKana,
                Language = m.Language,
                Status = m.Status,
                LockoutEndUtc = m.LockoutEndUtc,
                ProfileJson = m.ProfileJson,
                CreatedAtUtc = m.CreatedAtUtc,
                UpdatedAtUtc = m.UpdatedAtUtc,
                EmailVerifiedAtUtc = m.EmailVerifiedAtUtc,
                LastSignInAtUtc = m.LastSignInAtUtc,
            });
        var chunk = new List<Row>(ChunkSize);
        await foreach (var row in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            chunk.Add(row);
            if (chunk.Count == ChunkSize)
            {
                await AddGroupsAsync(lookups, chunk, cancellationToken);
                yield return chunk;
                chunk = new List<Row>(ChunkSize);
            }
        }
        if (chunk.Count > 0)
        {
            await AddGroupsAsync(lookups, chunk, cancellationToken);
            yield return chunk;
        }
    }

    private static async Task AddGroupsAsync(KurocoDbContext db, List<Row> chunk, CancellationToken cancellationToken)
    {
        var ids = chunk.Select(r => r.Id).ToList();
        var memberships = await db.MemberGroupMemberships.AsNoTracking()
            .Where(g => ids.Contains(g.MemberId))
            .OrderBy(g => g.AddedAtUtc)
            .Select(g => new { g.MemberId, g.GroupId })
            .ToListAsync(cancellationToken);
        var byMember = chunk.ToDictionary(r => r.Id);
        foreach (var membership in memberships)
        {
            byMember[membership.MemberId].GroupIds.Add(membership.GroupId);
        }
    }

    private static async Task<int> WriteCsvAsync(
        IAsyncEnumerable<List<Row>> chunks, IReadOnlyList<FieldDefinition> fields, Dictionary<Guid, MemberGroup> groups,
        string language, CsvEncoding encoding, Stream output, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var count = 0;
        await using var writer = new StreamWriter(output, CsvEncodings.ForWriting(encoding), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(CsvCells.Line([.. CsvHeader.Select(CsvCells.Text), .. fields.Select(f => CsvCells.Text(f.Key))]));
        var cells = new List<string>(CsvHeader.Count + fields.Count);
        await foreach (var chunk in chunks)
        {
            foreach (var row in chunk)
            {
                cells.Clear();
                cells.Add(row.Id.ToString("D"));
                cells.Add(CsvCells.Text(row.Email));
                cells.Add(CsvCells.Text(row.DisplayName));
                cells.Add(CsvCells.Text(row.NameKana));
                cells.Add(CsvCells.Text(row.Language));
                cells.Add(row.Status.ToString());
                cells.Add(row.LockoutEndUtc > nowUtc ? "true" : "false");
                cells.Add(CsvCells.Text(string.Join(ListSeparator, row.GroupIds.Where(groups.ContainsKey).Select(g => groups[g].NameFor(language)))));
                cells.Add(CsvCells.Utc(row.CreatedAtUtc));
                cells.Add(CsvCells.Utc(row.EmailVerifiedAtUtc));
                cells.Add(CsvCells.Utc(row.LastSignInAtUtc));
                if (fields.Count > 0)
                {
                    var values = ContentValues.Parse(row.ProfileJson);
                    foreach (var field in fields)
                    {
                        cells.Add(Cell(field, values.GetValueOrDefault(field.Key)));
                    }
                }
                await writer.WriteAsync(CsvCells.Line(cells));
                count++;
            }
            await writer.FlushAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
        return count;
    }

    private static string Cell(FieldDefinition field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        return field.Kind switch
        {
            FieldKind.Number when decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => CsvCells.Number(number),
            FieldKind.MultipleChoice => CsvCells.Text(string.Join(ListSeparator, ContentValues.SplitList(value))),
            _ => CsvCells.Text(value),
        };
    }

    private static async Task<int> WriteJsonAsync(
        IAsyncEnumerable<List<Row>> chunks, IReadOnlyList<FieldDefinition> fields, Dictionary<Guid, MemberGroup> groups,
        Stream output, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = 0;
        await using var json = new Utf8JsonWriter(output, JsonOptions);
        json.WriteStartObject();
        json.WriteString("exportedAtUtc", now.UtcDateTime);
        json.WriteStartArray("members");
        await foreach (var chunk in chunks)
        {
            foreach (var row in chunk)
            {
                json.WriteStartObject();
                json.WriteString("id", row.Id);
                json.WriteString("email", row.Email);
                json.WriteString("displayName", row.DisplayName);
                json.WriteString("nameKana", row.NameKana);
                json.WriteString("language", row.Language);
                json.WriteString("status", row.Status.ToString());
                json.WriteBoolean("locked", row.LockoutEndUtc > now.UtcDateTime);
                json.WriteStartArray("groups");
                foreach (var groupId in row.GroupIds.Where(groups.ContainsKey))
                {
                    json.WriteStartObject();
                    json.WriteString("id", groupId);
                    json.WriteString("nameJa", groups[groupId].NameJa);
                    json.WriteString("nameEn", groups[groupId].NameEn);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartObject("profile");
                var values = fields.Count > 0 ? ContentValues.Parse(row.ProfileJson) : new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var field in fields)
                {
                    json.WritePropertyName(field.Key);
                    JsonSerializer.Serialize(json, ContentValues.ToTyped(field, values.GetValueOrDefault(field.Key)));
                }
                json.WriteEndObject();
                WriteUtc(json, "createdAtUtc", row.CreatedAtUtc);
                WriteUtc(json, "updatedAtUtc", row.UpdatedAtUtc);
                WriteUtc(json, "emailVerifiedAtUtc", row.EmailVerifiedAtUtc);
                WriteUtc(json, "lastSignInAtUtc", row.LastSignInAtUtc);
                json.WriteEndObject();
                count++;
            }
            await json.FlushAsync(cancellationToken);
        }
        json.WriteEndArray();
        json.WriteNumber("count", count);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        return count;
    }

    private static void WriteUtc(Utf8JsonWriter json, string name, DateTime? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, DateTime.SpecifyKind(v, DateTimeKind.Utc));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
