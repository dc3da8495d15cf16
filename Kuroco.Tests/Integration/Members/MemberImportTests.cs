using System.Collections.Concurrent;
using System.Text;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Members;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// The member CSV import end to end through the real service, the real Hangfire jobs of the app under test and a real
/// SQLite file: encodings (UTF-8 with a BOM, Shift_JIS as Excel writes it), the dry-run report of bad rows, apply,
/// update or skip of existing emails, and batches that survive a crash between them.
/// </summary>
public sealed class MemberImportTests(MemberImportTests.Factory factory) : IClassFixture<MemberImportTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        internal CrashingBatchObserver Crash { get; } = new();

        public Factory() => TestServices = services => services.AddSingleton<IMemberImportBatchObserver>(Crash);
    }

    /// <summary>Throws just before a chosen batch of a chosen import commits: what a process kill at that point leaves behind.</summary>
    internal sealed class CrashingBatchObserver : IMemberImportBatchObserver
    {
        public ConcurrentDictionary<Guid, int> CrashBefore { get; } = new();

        public void BeforeCommit(Guid importId, int batch)
        {
            if (CrashBefore.TryGetValue(importId, out var at) && at == batch && CrashBefore.TryRemove(importId, out _))
            {
                throw new InvalidOperationException("Simulated crash before the batch commit.");
            }
        }

        public void AfterCommit(Guid importId, int batch)
        {
        }
    }

    private static string Marker() => Guid.NewGuid().ToString("N")[..10];

    private static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    private static byte[] ShiftJis(string text) => CsvEncodings.ForWriting(CsvEncoding.ShiftJis).GetBytes(text);

    private Task<MemberImport> UploadAsync(byte[] bytes, string name = "members.csv") => factory.WithScopeAsync(async sp =>
    {
        using var stream = new MemoryStream(bytes);
        var result = await sp.GetRequiredService<IMemberImportService>().UploadAsync(stream, name);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    });

    private Task<MemberImport> FindAsync(Guid id) =>
        factory.WithScopeAsync(async sp => (await sp.GetRequiredService<IMemberImportService>().FindAsync(id))!);

    private async Task<MemberImport> DryRunAsync(MemberImport import, MemberImportExisting existing = MemberImportExisting.Skip)
    {
        var started = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberImportService>()
            .StartDryRunAsync(import.Id, import.Settings with { Existing = existing }));
        Assert.True(started.Succeeded, started.Message);
        return await Eventually.GetAsync(() => FindAsync(import.Id), i => !i.IsRunning, "the dry run has finished", TimeSpan.FromSeconds(60));
    }

    private async Task<MemberImport> ApplyAsync(Guid importId)
    {
        var started = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberImportService>().StartApplyAsync(importId));
        Assert.True(started.Succeeded, started.Message);
        return await Eventually.GetAsync(() => FindAsync(importId), i => !i.IsRunning, "the apply has finished", TimeSpan.FromSeconds(90));
    }

    private Task<List<MemberImportRowResult>> ReportAsync(Guid importId) => factory.WithScopeAsync(async sp =>
    {
        var rows = new List<MemberImportRowResult>();
        await foreach (var row in sp.GetRequiredService<IMemberImportService>().ReadReportAsync(importId))
        {
            rows.Add(row);
        }
        return rows;
    });

    private Task<Member?> MemberAsync(string email) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking().SingleOrDefaultAsync(m => m.NormalizedEmail == MemberText.NormalizeEmail(email)));

    private Task<int> CountMembersAsync(string emailPart) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().Members.CountAsync(m => m.NormalizedEmail.Contains(emailPart)));

    [Fact]
    public async Task A_utf8_file_with_bad_rows_is_reported_row_by_row_and_only_the_good_rows_are_applied()
    {
        var m = Marker();
        var group = await factory.AddGroupAsync();
        var csv =
            "メールアドレス,氏名,フリガナ,グループ\r\n" +
            $"yamada-{m}@example.jp,山田 太郎,ヤマダ タロウ,{group.NameJa}\r\n" +
            $"not-an-email-{m},鈴木 一郎,スズキ イチロウ,\r\n" +
            $"YAMADA-{m}@example.jp,山田 次郎,,\r\n" +
            $"sato-{m}@example.jp,佐藤 花子,サトウ ハナコ,存在しないグループ{m}\r\n" +
            $"tanaka-{m}@example.jp,\"Tanaka, Ken\",,{group.NameEn}\r\n";

        var import = await UploadAsync(Utf8WithBom(csv));

        Assert.Equal(CsvEncoding.Utf8, import.DetectedEncoding);
        Assert.True(import.HasBom);
        Assert.Equal(
            [MemberImportTarget.Email, MemberImportTarget.DisplayName, MemberImportTarget.NameKana, MemberImportTarget.Groups],
            import.Columns.Select(c => c.Target));

        var checkedImport = await DryRunAsync(import);

        Assert.Equal(MemberImportStatus.DryRunDone, checkedImport.Status);
        Assert.Equal(5, checkedImport.TotalRows);
        Assert.Equal(2, checkedImport.DryRunCreate);
        Assert.Equal(3, checkedImport.DryRunRefused);
        Assert.Equal(0, await CountMembersAsync(m));

        var report = await ReportAsync(import.Id);
        Assert.Equal([2, 3, 4, 5, 6], report.Select(r => r.Row));
        Assert.Equal(MemberImportOutcome.Create, report[0].Outcome);
        Assert.Contains(report[1].Issues, i => i.Problem == MemberImportProblem.BadEmail);
        Assert.Contains(report[2].Issues, i => i.Problem == MemberImportProblem.DuplicateInFile && i.Number == 2);
        Assert.Contains(report[3].Issues, i => i.Problem == MemberImportProblem.UnknownGroup && i.Value == "存在しないグループ" + m);
        Assert.Equal(MemberImportOutcome.Create, report[4].Outcome);
        Assert.All(report.Skip(1).Take(3), r => Assert.Equal(MemberImportOutcome.Refuse, r.Outcome));

        var applied = await ApplyAsync(import.Id);

        Assert.Equal(MemberImportStatus.Completed, applied.Status);
        Assert.Equal(2, applied.Created);
        Assert.Equal(3, applied.Refused);
        Assert.Equal(2, await CountMembersAsync(m));
        var yamada = await MemberAsync($"yamada-{m}@example.jp");
        Assert.NotNull(yamada);
        Assert.Equal("山田 太郎", yamada.DisplayName);
        Assert.Equal("ヤマダ タロウ", yamada.NameKana);
        Assert.Null(yamada.PasswordHash);
        var tanaka = await MemberAsync($"tanaka-{m}@example.jp");
        Assert.Equal("Tanaka, Ken", tanaka!.DisplayName);
        var grouped = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().MemberGroupMemberships
            .Where(g => g.GroupId == group.Id).Select(g => g.MemberId).ToListAsync());
        Assert.Equal(new[] { yamada.Id, tanaka.Id }.Order(), grouped.Order());
        Assert.Null(await MemberAsync($"sato-{m}@example.jp"));

        var audit = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == import.Id.ToString("D")).Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.MemberImportUploaded, AuditActions.MemberImportChecked, AuditActions.MemberImportStarted, AuditActions.MembersImported], audit);
        // Audit parameters are not encrypted: no member's email or name in them, nor in the text read in either language.
        var importEntries = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == import.Id.ToString("D")).ToList();
        Assert.DoesNotContain(importEntries, e => (e.Parameters + AuditText.English(e) + AuditText.Japanese(e)) is var text
            && (text.Contains("yamada", StringComparison.OrdinalIgnoreCase) || text.Contains("山田", StringComparison.Ordinal)));
        Assert.Equal($"Member import file \"{import.FileName}\" uploaded: {import.SizeBytes} bytes, detected UTF-8 with BOM, 4 columns.",
            AuditText.English(importEntries[0]));
        var appliedEntry = importEntries.Single(e => e.Action == AuditActions.MembersImported);
        Assert.Equal($"Members imported from \"{import.FileName}\": 5 rows in 1 batches — 2 created, 0 updated, 0 skipped, 3 refused; existing emails: skip; invitations queued: 0.",
            AuditText.English(appliedEntry));
        Assert.Equal($"「{import.FileName}」から会員をインポートしました: 5 行、1 バッチ — 作成 2 件、更新 0 件、スキップ 0 件、拒否 3 件。登録済みのメールアドレス: スキップ、送信待ちの招待メール: 0 件。",
            AuditText.Japanese(appliedEntry));
    }

    [Fact]
    public async Task A_shift_jis_file_as_excel_writes_it_is_detected_previewed_and_imported_with_its_japanese_names()
    {
        var m = Marker();
        // 髙 and ① exist only in CP932 (Windows' Shift_JIS), which is what Excel in Japan writes.
        var csv =
            "メールアドレス,氏名,フリガナ,言語\r\n" +
            $"takahashi-{m}@example.jp,髙橋 一郎①,ﾀｶﾊｼ ｲﾁﾛｳ,ja\r\n" +
            $"watanabe-{m}@example.jp,渡邊 さくら,ワタナベ サクラ,en\r\n";
        var bytes = ShiftJis(csv);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));

        var import = await UploadAsync(bytes, "会員一覧.csv");

        Assert.Equal(CsvEncoding.ShiftJis, import.DetectedEncoding);
        Assert.False(import.HasBom);
        var preview = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberImportService>().PreviewAsync(import.Id, CsvEncoding.ShiftJis));
        Assert.True(preview.Succeeded, preview.Message);
        Assert.Equal(["メールアドレス", "氏名", "フリガナ", "言語"], preview.Value!.Headers);
        Assert.Equal("髙橋 一郎①", preview.Value.Rows[0][1]);

        var checkedImport = await DryRunAsync(import);
        Assert.Equal(2, checkedImport.DryRunCreate);
        var applied = await ApplyAsync(import.Id);

        Assert.Equal(MemberImportStatus.Completed, applied.Status);
        var takahashi = await MemberAsync($"takahashi-{m}@example.jp");
        Assert.Equal("髙橋 一郎①", takahashi!.DisplayName);
        Assert.Equal("ﾀｶﾊｼ ｲﾁﾛｳ", takahashi.NameKana);
        Assert.Equal("ja", takahashi.Language);
        // Searchable like any member: the folded text holds the reading as hiragana.
        Assert.Contains("たかはし", takahashi.SearchText, StringComparison.Ordinal);
        Assert.Equal("en", (await MemberAsync($"watanabe-{m}@example.jp"))!.Language);
    }

    [Fact]
    public async Task The_same_file_read_as_utf8_gets_a_clear_refusal_instead_of_garbled_names()
    {
        var m = Marker();
        var import = await UploadAsync(ShiftJis($"email,name\r\nkato-{m}@example.jp,加藤 健\r\n"));

        var checkedImport = await DryRunAsync(import);
        Assert.Equal(1, checkedImport.DryRunCreate);

        var wrong = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberImportService>()
            .StartDryRunAsync(import.Id, checkedImport.Settings with { Encoding = CsvEncoding.Utf8 }));
        Assert.True(wrong.Succeeded, wrong.Message);
        var rechecked = await Eventually.GetAsync(() => FindAsync(import.Id), i => !i.IsRunning, "the second dry run has finished");

        Assert.Equal(1, rechecked.DryRunRefused);
        var report = await ReportAsync(import.Id);
        Assert.Contains(report[0].Issues, i => i.Problem == MemberImportProblem.Undecodable);
    }

    [Fact]
    public async Task An_existing_email_is_skipped_or_updated_by_choice()
    {
        var m = Marker();
        var group = await factory.AddGroupAsync();
        var existing = await factory.AddMemberAsync("旧姓 花子", email: $"hanako-{m}@example.jp");
        var csv = $"email,displayName,groups\r\nHanako-{m}@Example.jp,新姓 花子,{group.NameEn}\r\nnew-{m}@example.jp,新規 会員,\r\n";

        var skip = await DryRunAsync(await UploadAsync(Utf8WithBom(csv)), MemberImportExisting.Skip);
        Assert.Equal((1, 0, 1), (skip.DryRunCreate, skip.DryRunUpdate, skip.DryRunSkip));
        var skipped = await ApplyAsync(skip.Id);
        Assert.Equal((1, 0, 1), (skipped.Created, skipped.Updated, skipped.Skipped));
        Assert.Equal("旧姓 花子", (await MemberAsync(existing.Email))!.DisplayName);

        var update = await DryRunAsync(await UploadAsync(Utf8WithBom(csv)), MemberImportExisting.Update);
        // The second file's new member exists now: both rows are updates.
        Assert.Equal((0, 2, 0), (update.DryRunCreate, update.DryRunUpdate, update.DryRunSkip));
        var updated = await ApplyAsync(update.Id);
        Assert.Equal(2, updated.Updated);
        var after = await MemberAsync(existing.Email);
        Assert.Equal("新姓 花子", after!.DisplayName);
        Assert.Equal(existing.Id, after.Id);
        Assert.True(await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().MemberGroupMemberships
            .AnyAsync(g => g.MemberId == existing.Id && g.GroupId == group.Id)));
        Assert.Equal(2, await CountMembersAsync(m));
    }

    [Fact]
    public async Task A_crash_between_batches_keeps_the_committed_batches_whole_and_resume_continues_without_writing_a_row_twice()
    {
        var m = Marker();
        var csv = new StringBuilder("email,name\r\n");
        const int rows = 2_500;
        for (var i = 0; i < rows; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"bulk{i:D5}-{m}@example.jp,会員 {i:D5}\r\n");
        }
        var import = await DryRunAsync(await UploadAsync(Utf8WithBom(csv.ToString())));
        Assert.Equal(rows, import.DryRunCreate);
        factory.Crash.CrashBefore[import.Id] = 1;

        var crashed = await ApplyAsync(import.Id);

        // Batch 0 (rows 1–1,000) is committed whole; batch 1 rolled back whole; nothing of batch 2 was touched.
        Assert.Equal(MemberImportStatus.Failed, crashed.Status);
        Assert.Equal(0, crashed.LastCommittedBatch);
        Assert.Equal(MemberImport.BatchSize, crashed.Created);
        Assert.Equal(MemberImport.BatchSize, await CountMembersAsync(m));
        Assert.NotNull(await MemberAsync($"bulk00999-{m}@example.jp"));
        Assert.Null(await MemberAsync($"bulk01000-{m}@example.jp"));

        var resumed = await ApplyAsync(import.Id);

        Assert.Equal(MemberImportStatus.Completed, resumed.Status);
        Assert.Equal(2, resumed.LastCommittedBatch);
        Assert.Equal(rows, resumed.Created);
        Assert.Equal(0, resumed.Refused);
        Assert.Equal(rows, await CountMembersAsync(m));
        var names = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members
            .Where(x => x.NormalizedEmail.Contains(m)).Select(x => x.DisplayName).ToListAsync());
        Assert.Equal(rows, names.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(names, string.IsNullOrEmpty);
        var audit = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == import.Id.ToString("D")).Select(e => e.Action).ToList();
        Assert.Contains(AuditActions.MemberImportFailed, audit);
        Assert.Equal(AuditActions.MembersImported, audit[^1]);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_and_nothing_is_stored()
    {
        var before = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Set<MemberImport>().CountAsync());
        var limit = await factory.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<IMemberImportService>().MaxUploadBytes));
        var result = await factory.WithScopeAsync(async sp =>
        {
            using var stream = new MemoryStream(new byte[limit + 1]);
            return await sp.GetRequiredService<IMemberImportService>().UploadAsync(stream, "../../etc/passwd.csv");
        });

        Assert.False(result.Succeeded);
        Assert.Equal(ErrorKind.TooLarge, result.Error);
        Assert.Equal(before, await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Set<MemberImport>().CountAsync()));
    }

    [Fact]
    public async Task The_uploaded_file_is_kept_under_a_server_chosen_name_whatever_the_client_called_it()
    {
        var m = Marker();
        var import = await UploadAsync(Utf8WithBom($"email\r\nx-{m}@example.jp\r\n"), "../../../evil\\..\\name.csv");

        Assert.DoesNotContain("..", import.FileName, StringComparison.Ordinal);
        Assert.DoesNotContain('/', import.FileName);
        Assert.DoesNotContain('\\', import.FileName);
        var stored = Directory.GetFiles(factory.DataPath, "*", SearchOption.AllDirectories)
            .Where(f => f.Contains(import.Id.ToString("N"), StringComparison.OrdinalIgnoreCase) || f.Contains(import.Id.ToString("D"), StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, f => Assert.StartsWith(Path.GetFullPath(factory.DataPath), Path.GetFullPath(f), StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.GetFiles(factory.DataPath, "*", SearchOption.AllDirectories), f => f.Contains("evil", StringComparison.Ordinal));
    }
}
