using System.Net;
using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>The JSON Lines export, the exports' validation and the search endpoint, over the real HTTP pipeline.</summary>
public sealed class AuditJsonLinesExportTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task A_security_officer_gets_the_filtered_entries_as_json_lines_and_the_export_is_audited()
    {
        var marker = "j" + Guid.NewGuid().ToString("N")[..10];
        await WriteAsync(new AuditRecord(AuditActions.StaffUpdated, "Staff", "s1", $"{marker} 日本語の概要", Changes:
            [new FieldChange("DisplayName", "Old", "New"), new FieldChange("PasswordHash", "secret-old", "secret-new")]));
        await WriteAsync(new AuditRecord(AuditActions.SignInFailed, "Staff", null, $"{marker} failed", AuditOutcome.Failure));
        var client = await OfficerAsync("officer-jsonl@test.local");

        var response = await client.GetAsync($"/audit/export.jsonl?q={marker}&outcome=Success");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jsonl", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".jsonl", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal($"{marker} 日本語の概要", root.GetProperty("summary").GetString());
        Assert.Equal(AuditActions.StaffUpdated, root.GetProperty("action").GetString());
        Assert.Equal("Asia/Tokyo", root.GetProperty("timeZone").GetString());
        var changes = root.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal("New", changes[0].GetProperty("after").GetString());
        Assert.Equal(AuditChanges.Masked, changes[1].GetProperty("after").GetString());
        Assert.DoesNotContain("secret-new", line, StringComparison.Ordinal);
        Assert.Equal(64, root.GetProperty("hash").GetString()!.Length);

        var exported = await LatestAsync(AuditActions.AuditExported);
        Assert.Equal("officer-jsonl@test.local", exported.ActorName);
        Assert.StartsWith("Audit log exported as JSON Lines: 1 entries (", AuditText.English(exported), StringComparison.Ordinal);
        Assert.Contains($"q={marker}", AuditText.English(exported), StringComparison.Ordinal);
        Assert.Contains("outcome=Success", AuditText.English(exported), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_filter_is_a_400_with_a_localized_message_and_nothing_is_exported()
    {
        var client = await OfficerAsync("officer-bad@test.local");
        var before = await CountAsync(AuditActions.AuditExported);

        var csv = await client.GetAsync("/audit/export.csv?ip=300.1.2.3/8");
        var jsonl = await client.GetAsync("/audit/export.jsonl?from=2026-13-01");
        var search = await client.GetAsync("/audit/entries?outcome=Maybe");
        using var japanese = new HttpRequestMessage(HttpMethod.Get, "/audit/entries?ip=nonsense");
        japanese.Headers.AcceptLanguage.ParseAdd("ja");
        var ja = await client.SendAsync(japanese);

        Assert.Equal(HttpStatusCode.BadRequest, csv.StatusCode);
        Assert.Contains("Not a valid IP address or CIDR block", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, jsonl.StatusCode);
        Assert.Contains("yyyy-MM-dd", await jsonl.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, ja.StatusCode);
        Assert.Contains("有効なIPアドレスまたはCIDR範囲ではありません", await ja.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync(AuditActions.AuditExported));
    }

    [Fact]
    public async Task The_search_endpoint_pages_by_cursor_and_caps_the_total()
    {
        var marker = "p" + Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < 5; i++)
        {
            await WriteAsync(new AuditRecord(AuditActions.StaffUpdated, "Staff", "s" + i, $"{marker} #{i}"));
        }
        var client = await OfficerAsync("officer-entries@test.local");

        using var first = JsonDocument.Parse(await client.GetStringAsync($"/audit/entries?q={marker}&pageSize=2"));
        Assert.Equal(5, first.RootElement.GetProperty("total").GetInt32());
        Assert.True(first.RootElement.GetProperty("totalIsExact").GetBoolean());
        Assert.Equal([$"{marker} #4", $"{marker} #3"], first.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("summary").GetString()));
        var older = first.RootElement.GetProperty("older").GetString();

        using var second = JsonDocument.Parse(await client.GetStringAsync($"/audit/entries?q={marker}&pageSize=2&older={older}"));
        Assert.Equal([$"{marker} #2", $"{marker} #1"], second.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("summary").GetString()));
        var newer = second.RootElement.GetProperty("newer").GetString();

        using var back = JsonDocument.Parse(await client.GetStringAsync($"/audit/entries?q={marker}&pageSize=2&newer={newer}"));
        Assert.Equal([$"{marker} #4", $"{marker} #3"], back.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("summary").GetString()));
        Assert.Equal(JsonValueKind.Null, back.RootElement.GetProperty("newer").ValueKind);
    }

    [Fact]
    public async Task A_content_editor_cannot_search_or_export()
    {
        await factory.CreateStaffAsync("editor-jsonl@test.local", StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, "editor-jsonl@test.local", KurocoAppFactory.StaffPassword);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/audit/export.jsonl")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/audit/entries")).StatusCode);
    }

    private async Task<HttpClient> OfficerAsync(string email)
    {
        await factory.CreateStaffAsync(email, StaffRoles.SecurityOfficer);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }

    private Task<AuditEntry> WriteAsync(AuditRecord record) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(record));

    private Task<int> CountAsync(string action) => factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditEntries.CountAsync(e => e.Action == action));

    private Task<AuditEntry> LatestAsync(string action) => factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditEntries.AsNoTracking()
        .Where(e => e.Action == action).OrderByDescending(e => e.Sequence).FirstAsync());
}

/// <summary>
/// A large export keeps the server's memory flat: 50,000 fat entries (about 40 MB of JSON Lines) are streamed, so while the
/// client has read only the start, the server holds one batch and the response pipe's window, not the whole set. Its own
/// app and database, so the rows do not slow other tests.
/// </summary>
public sealed class AuditExportStreamingTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private const int Rows = 50_000;

    [Fact]
    public async Task Exporting_fifty_thousand_entries_streams_with_bounded_memory()
    {
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var next = (await db.AuditEntries.MaxAsync(e => (long?)e.Sequence) ?? 0) + 1;
            var padding = new string('x', 600);
            // One statement: generated rows, each with a 600-character summary (the FTS trigger indexes them too).
            var sql = $"""
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows - 1})
                INSERT INTO "AuditEntries" ("Sequence", "OccurredAtUtc", "ActorName", "ActorRoles", "Action", "EntityType", "Summary", "Outcome", "PreviousHash", "Hash")
                SELECT {next} + i, '2026-09-01 00:00:00', 'bulk@test.local', '', 'test.bulk-export', 'Test', 'bulk ' || i || ' {padding}', 0,
                    '{AuditHasher.GenesisHash}', '{AuditHasher.GenesisHash}' FROM n
                """;
            await db.Database.ExecuteSqlRawAsync(sql);
        });
        await factory.CreateStaffAsync("officer-stream@test.local", StaffRoles.SecurityOfficer);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, "officer-stream@test.local", KurocoAppFactory.StaffPassword);

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var response = await client.GetAsync("/audit/export.jsonl?action=test.bulk-export", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.NotNull(await reader.ReadLineAsync());
        }
        // The server is now held back by the unread response: it keeps what it is writing, not the 50,000 rows.
        await Task.Delay(500);
        var whileStreaming = GC.GetTotalMemory(forceFullCollection: true) - baseline;

        long bytes = 0;
        var lines = 1_000;
        while (await reader.ReadLineAsync() is { } line)
        {
            bytes += line.Length;
            lines++;
        }
        Assert.Equal(Rows, lines);
        Assert.True(bytes > 30_000_000, $"the export is {bytes:N0} characters");
        Assert.True(whileStreaming < 12_000_000, $"{whileStreaming:N0} bytes more were held while the export streamed");
    }
}
