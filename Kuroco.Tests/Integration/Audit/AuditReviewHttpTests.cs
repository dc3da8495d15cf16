using System.Net;
using System.Net.Http.Headers;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using static Kuroco.Tests.Integration.Audit.AuditReviewAppFactory;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>The review pages and the PDF through the real HTTP pipeline: who may see them, and the PDF in English and Japanese.</summary>
public sealed class AuditReviewHttpTests(AuditReviewAppFactory factory) : IClassFixture<AuditReviewAppFactory>
{
    private static DateTime Tokyo(int year, int month, int day, int hour, int minute = 0) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-9);

    private async Task<HttpClient> SignedInAsync(string email, string role)
    {
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }

    [Fact]
    public async Task Officers_and_administrators_review_others_are_refused()
    {
        await factory.PrepareAsync(new DateOnly(2026, 4, 1));
        var officer = await SignedInAsync("officer-http@test.local", StaffRoles.SecurityOfficer);
        foreach (var path in new[] { "/audit/reviews", "/audit/reviews/2026-04", "/audit/reviews/2026-04/pdf" })
        {
            var ok = await officer.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        var admin = await SignedInAsync("admin-http@test.local", StaffRoles.Administrator);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/audit/reviews/2026-04")).StatusCode);

        foreach (var role in new[] { StaffRoles.ContentEditor, StaffRoles.Operator, StaffRoles.SupportStaff })
        {
            var other = await SignedInAsync($"{role.ToLowerInvariant()}-http@test.local", role);
            foreach (var path in new[] { "/audit/reviews", "/audit/reviews/2026-04", "/audit/reviews/2026-04/pdf" })
            {
                var refused = await other.GetAsync(path);
                Assert.True(refused.StatusCode is HttpStatusCode.Forbidden || (refused.StatusCode == HttpStatusCode.Redirect
                    && refused.Headers.Location!.OriginalString.Contains("denied", StringComparison.OrdinalIgnoreCase)),
                    $"{role} {path}: {(int)refused.StatusCode} {refused.Headers.Location}");
            }
        }
        var anonymous = factory.CreateBrowserLikeClient();
        var login = await anonymous.GetAsync("/audit/reviews/2026-04/pdf");
        Assert.True(login.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, ((int)login.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_pdf_holds_the_month_and_the_findings_in_the_viewers_language()
    {
        await factory.InsertAsync([.. Enumerable.Range(0, 5).Select(i =>
            Row(AuditActions.SignInFailed, Tokyo(2026, 2, 3, 10, i), $"guess{i}@test.local", ip: "203.0.113.9", outcome: AuditOutcome.Failure))]);
        var review = await factory.PrepareAsync(new DateOnly(2026, 2, 1));
        Assert.Single(review.Findings);
        var officer = await SignedInAsync("officer-pdf@test.local", StaffRoles.SecurityOfficer);

        var english = await GetPdfAsync(officer, "en-US");
        var englishText = PdfText.Extract(english);
        Assert.Contains("Audit review 2026-02", englishText, StringComparison.Ordinal);
        Assert.Contains("failed sign-ins from 203.0.113.9", englishText, StringComparison.Ordinal);

        var japanese = await GetPdfAsync(officer, "ja-JP");
        var japaneseText = PdfText.Extract(japanese);
        Assert.Contains("2026-02 の監査レビュー", japaneseText, StringComparison.Ordinal);
        Assert.Contains("203.0.113.9 からのサインインが", japaneseText, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync("/audit/reviews/1999-01/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync("/audit/reviews/not-a-month/pdf")).StatusCode);
    }

    private static async Task<byte[]> GetPdfAsync(HttpClient client, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/audit/reviews/2026-02/pdf");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        return bytes;
    }
}
