using System.Net;
using System.Text;
using System.Text.Json;
using Kuroco.Admin.Audit;
using Kuroco.Admin.Members;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Members;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// The member list export over real HTTP: the list's filter, CSV in UTF-8 with a BOM or Shift_JIS, JSON, CSV injection
/// neutralized by the audit export's own cell rule, written in chunks (memory flat), audited, refused outside the Members area.
/// </summary>
public sealed class MemberExportTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private async Task<HttpClient> SignInAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }

    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var reader = new CsvRecordReader(new StringReader(text));
        while (reader.Read() is { } row)
        {
            rows.Add(row);
        }
        return rows;
    }

    private Task<int> CountExportsAsync() => factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditEntries
        .CountAsync(e => e.Action == AuditActions.MembersExported));

    [Fact]
    public async Task Support_staff_export_the_filtered_list_as_utf8_csv_with_a_bom_and_formulas_neutralized()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var group = await factory.AddGroupAsync();
        await factory.AddMemberAsync($"山田 花子 {m}", "ヤマダ ハナコ", groups: [group.Id]);
        await factory.AddMemberAsync($"=HYPERLINK(\"http://evil.example\",\"{m}\")", email: $"-2+3-{m}@example.jp");
        await factory.AddMemberAsync($"Someone else entirely {Guid.NewGuid():N}");
        var client = await SignInAsync(StaffRoles.SupportStaff);
        var exportsBefore = await CountExportsAsync();

        var response = await client.GetAsync(MemberExportLinks.Csv(new MemberListFilter(Search: m), CsvEncoding.Utf8));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        var header = rows[0].ToList();
        Assert.Equal("email", header[1]);
        Assert.Equal(3, rows.Count);
        var name = header.IndexOf("displayName");
        var yamada = rows.Single(r => r[name].StartsWith("山田", StringComparison.Ordinal));
        Assert.Equal(group.NameEn, yamada[header.IndexOf("groups")]);
        var evil = rows.Single(r => r[name].Contains("HYPERLINK", StringComparison.Ordinal));
        // The very rule (and code) of the audit export: a leading apostrophe.
        Assert.Equal($"'=HYPERLINK(\"http://evil.example\",\"{m}\")", evil[name]);
        Assert.Equal($"'-2+3-{m}@example.jp", evil[header.IndexOf("email")]);
        Assert.Equal(AuditCsv.Text(evil[name][1..]), CsvCells.Text(evil[name][1..]));
        Assert.Equal(exportsBefore + 1, await CountExportsAsync());
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.MembersExported);
        Assert.StartsWith("Members exported as CSV (UTF-8): 2 members (", AuditText.English(entry), StringComparison.Ordinal);
        Assert.StartsWith("会員を CSV（UTF-8） で書き出しました: 2 件（", AuditText.Japanese(entry), StringComparison.Ordinal);
        Assert.DoesNotContain(m, AuditText.English(entry) + entry.Parameters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shift_jis_export_holds_the_japanese_names_as_excel_reads_them()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        await factory.AddMemberAsync($"髙橋 一郎 {m}", "ﾀｶﾊｼ ｲﾁﾛｳ");
        var client = await SignInAsync(StaffRoles.ContentEditor);

        var response = await client.GetAsync(MemberExportLinks.Csv(new MemberListFilter(Search: m), CsvEncoding.ShiftJis));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("shift_jis", response.Content.Headers.ContentType?.CharSet);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        var rows = ParseCsv(CsvEncodings.ForReading(CsvEncoding.ShiftJis).GetString(bytes));
        Assert.Equal(2, rows.Count);
        Assert.Contains($"髙橋 一郎 {m}", rows[1]);
        Assert.Contains("ﾀｶﾊｼ ｲﾁﾛｳ", rows[1]);
    }

    [Fact]
    public async Task The_json_export_holds_the_filtered_members_with_their_groups()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var group = await factory.AddGroupAsync();
        var inGroup = await factory.AddMemberAsync($"Group member {m}", groups: [group.Id]);
        await factory.AddMemberAsync($"Not in the group {m}");
        var client = await SignInAsync(StaffRoles.SupportStaff);

        var response = await client.GetAsync(MemberExportLinks.Json(new MemberListFilter(Search: m, GroupId: group.Id)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        Assert.Equal(1, document.RootElement.GetProperty("count").GetInt32());
        var member = Assert.Single(document.RootElement.GetProperty("members").EnumerateArray());
        Assert.Equal(inGroup.Id, member.GetProperty("id").GetGuid());
        Assert.Equal(inGroup.Email, member.GetProperty("email").GetString());
        Assert.Equal(group.NameJa, member.GetProperty("groups")[0].GetProperty("nameJa").GetString());
    }

    [Fact]
    public async Task Staff_outside_the_members_area_and_bad_filters_get_nothing_and_no_audit_entry()
    {
        var exportsBefore = await CountExportsAsync();
        var operatorClient = await SignInAsync(StaffRoles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync(MemberDataApi.ExportCsvPath)).StatusCode);

        var support = await SignInAsync(StaffRoles.SupportStaff);
        var badEncoding = await support.GetAsync(MemberDataApi.ExportCsvPath + "?encoding=latin1");
        var badRange = await support.GetAsync(MemberDataApi.ExportJsonPath + "?createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z");
        var badStatus = await support.GetAsync(MemberDataApi.ExportJsonPath + "?status=Deleted");

        Assert.Equal(HttpStatusCode.BadRequest, badEncoding.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal("application/problem+json", badRange.Content.Headers.ContentType?.MediaType);
        Assert.Equal(exportsBefore, await CountExportsAsync());
    }

    [Fact]
    public async Task The_export_is_written_chunk_by_chunk_instead_of_being_held_in_memory()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        const int count = 3_500;
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var now = DateTime.UtcNow;
            for (var i = 0; i < count; i++)
            {
                var member = new Member
                {
                    Id = Guid.NewGuid(),
                    Email = $"stream{i:D5}-{m}@example.jp",
                    DisplayName = $"会員 {i:D5} {m}",
                    Status = MemberStatus.Active,
                    CreatedAtUtc = now.AddSeconds(i),
                    UpdatedAtUtc = now,
                };
                member.RefreshDerivedFields();
                db.Members.Add(member);
            }
            await db.SaveChangesAsync();
        });
        var output = new FlushRecordingStream();

        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberExportService>()
            .ExportAsync(new MemberListFilter(Search: m), MemberExportFormat.Csv, CsvEncoding.Utf8, output));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(count, result.Value);
        // One flush per chunk of MemberExportService.ChunkSize members: the largest stretch written between two flushes
        // is one chunk, a fraction of the whole.
        Assert.True(output.Flushes >= count / MemberExportService.ChunkSize, $"{output.Flushes} flushes");
        Assert.True(output.LargestUnflushed < output.Length / 3, $"{output.LargestUnflushed} of {output.Length} bytes before a flush");
        var rows = ParseCsv(Encoding.UTF8.GetString(output.ToArray(), 3, (int)output.Length - 3));
        Assert.Equal(count + 1, rows.Count);
        // Oldest sign-up first.
        Assert.Equal($"stream00000-{m}@example.jp", rows[1][1]);
        Assert.Equal($"stream{count - 1:D5}-{m}@example.jp", rows[^1][1]);
    }

    private sealed class FlushRecordingStream : MemoryStream
    {
        private long flushedAt;

        public int Flushes { get; private set; }

        public long LargestUnflushed { get; private set; }

        public override void Flush()
        {
            Record();
            base.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Record();
            return base.FlushAsync(cancellationToken);
        }

        private void Record()
        {
            if (Length > flushedAt)
            {
                Flushes++;
                LargestUnflushed = Math.Max(LargestUnflushed, Length - flushedAt);
                flushedAt = Length;
            }
        }
    }
}
