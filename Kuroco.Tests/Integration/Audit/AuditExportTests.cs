using System.Net;
using System.Text;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

public sealed class AuditExportTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task A_content_editor_gets_403_and_nothing_is_exported()
    {
        await factory.CreateStaffAsync("editor-export@test.local", StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, "editor-export@test.local", KurocoAppFactory.StaffPassword);

        var exportsBefore = await CountExportsAsync();

        var response = await client.GetAsync("/audit/export.csv");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("text/csv", response.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(exportsBefore, await CountExportsAsync());
    }

    private Task<int> CountExportsAsync() => factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditEntries
        .CountAsync(e => e.Action == AuditActions.AuditExported));

    [Fact]
    public async Task Anonymous_is_sent_to_sign_in()
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync("/audit/export.csv");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_security_officer_gets_the_filtered_log_as_csv_with_formulas_defused_and_the_export_is_audited()
    {
        var marker = "x" + Guid.NewGuid().ToString("N")[..10];
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord(AuditActions.SignInFailed, "Staff", "-2+3", $"=HYPERLINK(\"http://evil.example\",\"{marker}\")", AuditOutcome.Failure)
            {
                Actor = new AuditActor(null, "@admin,\"quoted\"\r\nname", []),
            }));
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord(AuditActions.StaffUpdated, "Staff", "s1", $"+{marker} 日本語の概要")));
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord(AuditActions.StaffUpdated, "Staff", "s2", "not matching the filter")));

        await factory.CreateStaffAsync("officer-export@test.local", StaffRoles.SecurityOfficer);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, "officer-export@test.local", KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync($"/audit/export.csv?q={marker}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));

        var header = rows[0];
        Assert.Equal("Sequence", header[0]);
        Assert.Equal(2, rows.Count - 1);
        var summary = header.IndexOf("Summary");
        var actor = header.IndexOf("ActorName");
        var entityId = header.IndexOf("EntityId");
        // Newest first; a cell a spreadsheet would run as a formula starts with an apostrophe.
        Assert.Equal($"'+{marker} 日本語の概要", rows[1][summary]);
        Assert.Equal($"'=HYPERLINK(\"http://evil.example\",\"{marker}\")", rows[2][summary]);
        Assert.Equal("'@admin,\"quoted\"\r\nname", rows[2][actor]);
        Assert.Equal("'-2+3", rows[2][entityId]);
        Assert.Equal("Failure", rows[2][header.IndexOf("Outcome")]);
        Assert.Equal("Asia/Tokyo", rows[2][header.IndexOf("TimeZone")]);
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));

        var exported = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.AuditExported).OrderByDescending(e => e.Sequence).FirstAsync());
        Assert.Equal("officer-export@test.local", exported.ActorName);
        Assert.StartsWith("Audit log exported as CSV: 2 entries (", AuditText.English(exported), StringComparison.Ordinal);
        Assert.Contains($"q={marker}", AuditText.English(exported), StringComparison.Ordinal);
        Assert.StartsWith("監査ログを CSV で書き出しました: 2 件（", AuditText.Japanese(exported), StringComparison.Ordinal);
    }

    /// <summary>A strict RFC 4180 reader: the test checks the writer's quoting instead of trusting it.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                Assert.NotEqual('"', c);
                Assert.NotEqual('\n', c);
                cell.Append(c);
            }
        }
        Assert.False(quoted, "An unterminated quoted field.");
        Assert.Equal(0, cell.Length + row.Count);
        return rows;
    }
}
