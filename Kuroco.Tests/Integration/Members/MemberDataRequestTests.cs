using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Kuroco.Admin.Members;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// Personal-data requests through the real services, HTTP pipeline and SQLite file: everything about one member as one
/// JSON file, and erasure (anonymized, tokens revoked, history removed, earlier audit values unreadable, chain intact).
/// </summary>
public sealed class MemberDataRequestTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private async Task<HttpClient> SignInAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }

    /// <summary>A member with a group, sign-ins, a consent, a mailed link, a session and an audited profile change.</summary>
    private async Task<(Member Member, MemberGroup Group)> MemberWithHistoryAsync(string name)
    {
        var group = await factory.AddGroupAsync();
        var member = await factory.AddMemberAsync(name, "ヤマダ ハナコ", groups: [group.Id], email: $"hanako-{Guid.NewGuid():N}@example.jp");
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var now = DateTime.UtcNow;
            db.MemberSignIns.Add(new MemberSignInRecord { MemberId = member.Id, AtUtc = now.AddHours(-2), IpAddress = "203.0.113.7", UserAgent = "Test", Outcome = MemberSignInOutcome.Succeeded });
            db.MemberSignIns.Add(new MemberSignInRecord { MemberId = member.Id, AtUtc = now.AddHours(-1), IpAddress = "203.0.113.8", UserAgent = "Test", Outcome = MemberSignInOutcome.Failed });
            db.MemberConsents.Add(new MemberConsent { MemberId = member.Id, Kind = "newsletter", Version = "2026-01", GrantedAtUtc = now.AddDays(-3) });
            db.MemberTokens.Add(new MemberToken { Id = Guid.NewGuid(), MemberId = member.Id, Purpose = MemberTokenPurpose.PasswordReset, TokenHash = "hash-" + Guid.NewGuid(), CreatedAtUtc = now, ExpiresAtUtc = now.AddHours(1) });
            db.MemberRefreshTokens.Add(new MemberRefreshToken { Id = Guid.NewGuid(), MemberId = member.Id, FamilyId = Guid.NewGuid(), TokenHash = "refresh-" + Guid.NewGuid(), CreatedAtUtc = now, ExpiresAtUtc = now.AddDays(30) });
            await db.SaveChangesAsync();
            var personal = sp.GetRequiredService<IMemberPersonalData>();
            await sp.GetRequiredService<IAuditLog>().WriteAsync(new AuditRecord(AuditActions.MemberProfileUpdated, "Member", member.Id.ToString("D"), "Member profile updated.",
                AuditOutcome.Success, [new FieldChange("DisplayName", await personal.ProtectAsync(member.Id, "旧姓 花子"), await personal.ProtectAsync(member.Id, name))]));
        });
        return (member, group);
    }

    [Fact]
    public async Task Support_staff_download_everything_held_about_a_member_as_one_json_file_and_it_is_audited()
    {
        var (member, group) = await MemberWithHistoryAsync("山田 花子");
        var client = await SignInAsync(StaffRoles.SupportStaff);

        var response = await client.GetAsync(MemberDataApi.PersonalDataPath(member.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.Equal(member.Email, root.GetProperty("member").GetProperty("email").GetString());
        Assert.Equal("山田 花子", root.GetProperty("member").GetProperty("displayName").GetString());
        Assert.Equal(group.NameJa, root.GetProperty("groups")[0].GetProperty("nameJa").GetString());
        Assert.Equal(2, root.GetProperty("signIns").GetArrayLength());
        Assert.Equal("newsletter", root.GetProperty("consents")[0].GetProperty("kind").GetString());
        Assert.Equal(1, root.GetProperty("tokens").GetArrayLength());
        Assert.DoesNotContain("hash-", root.GetRawText(), StringComparison.Ordinal);
        // The member's own audited values, readable in the member's copy.
        var change = root.GetProperty("auditEntries").EnumerateArray().Single(e => e.GetProperty("action").GetString() == AuditActions.MemberProfileUpdated)
            .GetProperty("changes")[0];
        Assert.Equal("旧姓 花子", change.GetProperty("before").GetString());
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.MemberPersonalDataExported);
        Assert.Equal(member.Id.ToString("D"), entry.EntityId);
        Assert.StartsWith($"Personal data of member {member.Id:D} exported: profile with ", AuditText.English(entry), StringComparison.Ordinal);
        Assert.Contains("1 groups, 2 sign-ins, 1 consents, 1 mailed links, 1 sessions", AuditText.English(entry), StringComparison.Ordinal);
        Assert.DoesNotContain(member.Email, AuditText.English(entry) + entry.Parameters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_editors_may_not_download_a_members_personal_data()
    {
        var member = await factory.AddMemberAsync("鈴木 一郎");
        var client = await SignInAsync(StaffRoles.ContentEditor);

        var response = await client.GetAsync(MemberDataApi.PersonalDataPath(member.Id));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain((await factory.AuditEntriesAsync()), e => e.Action == AuditActions.MemberPersonalDataExported && e.EntityId == member.Id.ToString("D"));
    }

    [Fact]
    public async Task Erasing_needs_the_members_email_typed_and_otherwise_changes_nothing()
    {
        var (member, _) = await MemberWithHistoryAsync("佐藤 花子");

        var refused = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDataRequests>().EraseAsync(member.Id, "someone-else@example.jp"));

        Assert.Equal(ErrorKind.Validation, refused.Error);
        var after = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking().SingleAsync(m => m.Id == member.Id));
        Assert.Equal("佐藤 花子", after.DisplayName);
        Assert.Equal(MemberStatus.Active, after.Status);
        Assert.DoesNotContain((await factory.AuditEntriesAsync()), e => e.Action == AuditActions.MemberErased && e.EntityId == member.Id.ToString("D"));
    }

    [Fact]
    public async Task Erasure_anonymizes_the_member_revokes_its_tokens_removes_its_history_and_leaves_earlier_audit_values_unreadable()
    {
        var (member, _) = await MemberWithHistoryAsync("高橋 花子");
        var (_, apiKey) = await factory.CreateKeyAsync("Member site " + Guid.NewGuid().ToString("N")[..6]);
        var accessToken = factory.Services.GetRequiredService<IMemberAccessTokens>().Issue(member).Token;
        using var api = factory.CreateClient();
        HttpRequestMessage Me()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/members/me");
            request.Headers.Add("X-API-Key", apiKey);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            return request;
        }
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Me())).StatusCode);

        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDataRequests>().EraseAsync(member.Id, member.Email.ToUpperInvariant()));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal((1, 2, 1, 1, 1), (result.Value!.Groups, result.Value.SignIns, result.Value.Consents, result.Value.Tokens, result.Value.RefreshTokens));
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var erased = await db.Members.AsNoTracking().SingleAsync(m => m.Id == member.Id);
            Assert.Equal(MemberStatus.Erased, erased.Status);
            Assert.Equal($"erased-{member.Id:D}@erased.invalid", erased.Email);
            Assert.Equal("", erased.DisplayName);
            Assert.Null(erased.NameKana);
            Assert.Equal("{}", erased.ProfileJson);
            Assert.Null(erased.PasswordHash);
            Assert.DoesNotContain("高橋", erased.SearchText, StringComparison.Ordinal);
            Assert.False(await db.MemberSignIns.AnyAsync(s => s.MemberId == member.Id));
            Assert.False(await db.MemberTokens.AnyAsync(t => t.MemberId == member.Id));
            Assert.False(await db.MemberRefreshTokens.AnyAsync(t => t.MemberId == member.Id));
            Assert.False(await db.MemberConsents.AnyAsync(c => c.MemberId == member.Id));
            Assert.False(await db.MemberGroupMemberships.AnyAsync(g => g.MemberId == member.Id));
        });
        // The access token issued before is refused at once (status and security stamp changed).
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(Me())).StatusCode);

        var entries = await factory.AuditEntriesAsync();
        var earlier = entries.Single(e => e.Action == AuditActions.MemberProfileUpdated && e.EntityId == member.Id.ToString("D"));
        var personal = factory.Services.GetRequiredService<IMemberPersonalData>();
        foreach (var change in AuditChanges.Deserialize(earlier.Changes))
        {
            Assert.Equal(MemberPersonalDataText.Erased, await personal.RevealAsync(change.Before));
            Assert.Equal(MemberPersonalDataText.Erased, await personal.RevealAsync(change.After));
        }
        Assert.DoesNotContain("花子", earlier.Changes ?? "", StringComparison.Ordinal);
        var erasure = entries.Single(e => e.Action == AuditActions.MemberErased && e.EntityId == member.Id.ToString("D"));
        // Stored as counts only: no address or name in the parameters, in any language it is read in.
        var erasureText = AuditText.English(erasure) + AuditText.Japanese(erasure) + erasure.Parameters + erasure.Changes;
        Assert.DoesNotContain(member.Email, erasureText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("高橋", erasureText, StringComparison.Ordinal);
        Assert.Equal($"Personal data of member {member.Id:D} erased on request: personal fields anonymized, 1 group memberships, 2 sign-ins, 1 consents, "
            + "1 mailed links and 1 refresh tokens removed; the member's data key was destroyed, so earlier audit values about the member are unreadable.", AuditText.English(erasure));
        Assert.Equal($"依頼により会員 {member.Id:D} の個人データを消去しました: 個人情報の項目を匿名化し、グループ所属 1 件、サインイン 2 件、同意 1 件、送信したリンク 1 件、"
            + "リフレッシュトークン 1 件を削除しました。会員のデータ鍵を破棄したため、この会員に関する過去の監査ログの値は読めません。", AuditText.Japanese(erasure));
        var verification = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
        Assert.True(verification.IsIntact, verification.ToString());

        // The member's own export afterwards holds nothing readable either.
        var export = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDataRequests>().ExportAsync(member.Id));
        Assert.DoesNotContain(export.Value!.AuditEntries.SelectMany(e => e.Changes), c => c.Before == "旧姓 花子" || c.After == "高橋 花子");

        var again = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDataRequests>().EraseAsync(member.Id, $"erased-{member.Id:D}@erased.invalid"));
        Assert.Equal(ErrorKind.Conflict, again.Error);
    }
}
