using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuroco.Admin.Api;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Members;

/// <summary>
/// Console endpoints of member data (the staff cookie, not /api/v1, not in the OpenAPI document; downloads, so GET only):
/// <c>GET /members/export.csv</c> and <c>GET /members/export.json</c> (the member list's filter in the query, see
/// <see cref="MemberExportQuery"/>; Members area), <c>GET /members/{id}/personal-data.json</c> (everything held about one
/// member; SupportStaff and Administrators) and <c>GET /members/import/{id}/report.csv</c> (a dry run's report; Members area).
/// </summary>
public static class MemberDataApi
{
    public const string ExportCsvPath = "/members/export.csv";
    public const string ExportJsonPath = "/members/export.json";

    internal static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string PersonalDataPath(Guid memberId) => string.Create(CultureInfo.InvariantCulture, $"/members/{memberId:D}/personal-data.json");

    public static string ImportReportPath(Guid importId) => string.Create(CultureInfo.InvariantCulture, $"/members/import/{importId:D}/report.csv");

    public static IEndpointRouteBuilder MapMemberDataApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var members = endpoints.MapGroup("/members").ExcludeFromDescription();
        members.MapGet("/export.csv", ExportCsvAsync).RequireAuthorization(AreaPolicies.Members).WithName("ExportMembersCsv");
        members.MapGet("/export.json", ExportJsonAsync).RequireAuthorization(AreaPolicies.Members).WithName("ExportMembersJson");
        members.MapGet("/{id:guid}/personal-data.json", ExportPersonalDataAsync)
            .RequireAuthorization(MemberDataPolicies.PersonalDataRequests).WithName("ExportMemberPersonalData");
        members.MapGet("/import/{id:guid}/report.csv", ImportReportAsync).RequireAuthorization(AreaPolicies.Members).WithName("DownloadMemberImportReport");
        return endpoints;
    }

    /// <summary>The filtered member list as CSV: <c>encoding=utf-8</c> (with a byte order mark, the default) or <c>encoding=shift_jis</c>.</summary>
    public static Results<PushStreamHttpResult, ProblemHttpResult> ExportCsvAsync(
        HttpContext context, [AsParameters] MemberExportQuery query, [FromServices] IMemberExportService export, [FromServices] TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        var encoding = CsvEncodings.Parse(query.Encoding ?? "utf-8");
        if (encoding is null)
        {
            return Result.Invalid([new FieldError("encoding", MemberDataMessages.Get("Import.Settings.Encoding"))]).ToProblem();
        }
        return Export(context, query, export, clock, MemberExportFormat.Csv, encoding.Value,
            "text/csv; charset=" + CsvEncodings.WebName(encoding.Value), "csv");
    }

    /// <summary>The filtered member list as one JSON object (<c>{"exportedAtUtc", "members": [...], "count"}</c>), UTF-8.</summary>
    public static Results<PushStreamHttpResult, ProblemHttpResult> ExportJsonAsync(
        HttpContext context, [AsParameters] MemberExportQuery query, [FromServices] IMemberExportService export, [FromServices] TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        return Export(context, query, export, clock, MemberExportFormat.Json, CsvEncoding.Utf8, "application/json; charset=utf-8", "json");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportPersonalDataAsync(
        HttpContext context, Guid id, [FromServices] IMemberDataRequests requests)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requests);
        context.Response.Headers.CacheControl = "no-store";
        var result = await requests.ExportAsync(id, context.RequestAborted);
        if (!result.TryGetValue(out var document))
        {
            return result.ToProblem();
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, DocumentJson);
        return TypedResults.File(bytes, "application/json; charset=utf-8", string.Create(CultureInfo.InvariantCulture, $"member-{id:D}-personal-data.json"));
    }

    /// <summary>The dry run's report: row, outcome, email and the reasons in the reader's language (UTF-8 with a byte order mark).</summary>
    public static async Task<Results<PushStreamHttpResult, NotFound>> ImportReportAsync(
        HttpContext context, Guid id, [FromServices] IMemberImportService imports)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(imports);
        var import = await imports.FindAsync(id, context.RequestAborted);
        if (import is null || import.DryRunAtUtc is null || import.FilesDeletedAtUtc is not null)
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.CacheControl = "no-store";
        var culture = CultureInfo.CurrentUICulture;
        return TypedResults.Stream(async body =>
        {
            // The stream runs after the handler returned: keep the request's language for the reasons.
            CultureInfo.CurrentUICulture = culture;
            await using var writer = new StreamWriter(body, CsvEncodings.ForWriting(CsvEncoding.Utf8), 64 * 1024, leaveOpen: true);
            await writer.WriteAsync(CsvCells.Line([.. ReportHeader.Select(CsvCells.Text)]));
            await foreach (var row in imports.ReadReportAsync(id, context.RequestAborted))
            {
                await writer.WriteAsync(CsvCells.Line([
                    row.Row.ToString(CultureInfo.InvariantCulture),
                    CsvCells.Text(MemberDataMessages.Outcome(row.Outcome)),
                    CsvCells.Text(row.Email),
                    CsvCells.Text(MemberDataMessages.Describe(row.Issues)),
                ]));
            }
            await writer.FlushAsync(context.RequestAborted);
        }, "text/csv; charset=utf-8", ReportFileName(import));
    }

    public static IReadOnlyList<string> ReportHeader { get; } = ["row", "outcome", "email", "reasons"];

    private static string ReportFileName(MemberImport import)
    {
        var name = Path.GetFileNameWithoutExtension(import.FileName);
        return (name.Length > 0 ? name : "import") + "-dry-run.csv";
    }

    private static Results<PushStreamHttpResult, ProblemHttpResult> Export(
        HttpContext context, MemberExportQuery query, IMemberExportService export, TimeProvider clock,
        MemberExportFormat format, CsvEncoding encoding, string contentType, string extension)
    {
        var parsed = query.ToFilter();
        if (!parsed.TryGetValue(out var filter))
        {
            return parsed.ToProblem();
        }
        context.Response.Headers.CacheControl = "no-store";
        var fileName = string.Create(CultureInfo.InvariantCulture, $"kuroco-members-{clock.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}.{extension}");
        var culture = CultureInfo.CurrentUICulture;
        return TypedResults.Stream(async body =>
        {
            CultureInfo.CurrentUICulture = culture;
            await export.ExportAsync(filter, format, encoding, body, context.RequestAborted);
        }, contentType, fileName);
    }
}

/// <summary>
/// The member list's filter in a query string (what the list page puts in its export links; see
/// <see cref="ToQueryString"/>), mapped to the list's one <see cref="MemberListFilter"/>: <c>q</c> (partial search),
/// <c>group</c> (id), <c>status</c> (PendingVerification, Active, Suspended, Erased, Locked), <c>createdFrom</c>/<c>createdTo</c> and
/// <c>signedInFrom</c>/<c>signedInTo</c> (ISO 8601 instants, UTC when no offset is given; from included, to excluded),
/// and for CSV <c>encoding</c> (utf-8 or shift_jis).
/// </summary>
public sealed record MemberExportQuery(
    [FromQuery(Name = "q")] string? Text,
    [FromQuery(Name = "group")] Guid? Group,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "createdFrom")] string? CreatedFrom,
    [FromQuery(Name = "createdTo")] string? CreatedTo,
    [FromQuery(Name = "signedInFrom")] string? SignedInFrom,
    [FromQuery(Name = "signedInTo")] string? SignedInTo,
    [FromQuery(Name = "encoding")] string? Encoding)
{
    public Result<MemberListFilter> ToFilter()
    {
        var errors = new List<FieldError>();
        MemberListStatus? status = null;
        if (!string.IsNullOrWhiteSpace(Status))
        {
            if (Enum.TryParse<MemberListStatus>(Status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(Status, out _))
            {
                status = parsed;
            }
            else
            {
                errors.Add(new FieldError("status", MemberDataMessages.Get("Export.Status")));
            }
        }
        var filter = new MemberListFilter(
            Search: string.IsNullOrWhiteSpace(Text) ? null : Text.Trim(),
            GroupId: Group,
            Status: status,
            SignedUpFromUtc: Instant(CreatedFrom, "createdFrom", errors),
            SignedUpToUtc: Instant(CreatedTo, "createdTo", errors),
            LastSignInFromUtc: Instant(SignedInFrom, "signedInFrom", errors),
            LastSignInToUtc: Instant(SignedInTo, "signedInTo", errors));
        errors.AddRange(filter.Validate());
        return errors.Count > 0 ? Result<MemberListFilter>.Invalid(errors) : Result.Ok(filter);
    }

    /// <summary>The query string (with its "?", or empty) that selects <paramref name="filter"/>, plus the CSV encoding.</summary>
    public static string ToQueryString(MemberListFilter filter, CsvEncoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("q", filter.Search);
        Add("group", filter.GroupId?.ToString("D"));
        Add("status", filter.Status?.ToString());
        Add("createdFrom", Format(filter.SignedUpFromUtc));
        Add("createdTo", Format(filter.SignedUpToUtc));
        Add("signedInFrom", Format(filter.LastSignInFromUtc));
        Add("signedInTo", Format(filter.LastSignInToUtc));
        Add("encoding", encoding is { } e ? CsvEncodings.WebName(e) : null);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static string? Format(DateTime? value) =>
        value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null;

    private static DateTime? Instant(string? value, string name, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }
        errors.Add(new FieldError(name, MemberDataMessages.Get("Export.Instant")));
        return null;
    }
}

/// <summary>Links to the member export for a filter (what the member list page puts behind its export buttons).</summary>
public static class MemberExportLinks
{
    public static string Csv(MemberListFilter filter, CsvEncoding encoding) => MemberDataApi.ExportCsvPath + MemberExportQuery.ToQueryString(filter, encoding);

    public static string Json(MemberListFilter filter) => MemberDataApi.ExportJsonPath + MemberExportQuery.ToQueryString(filter);
}
