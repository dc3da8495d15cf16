using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kuroco.Admin.Security.SelfAssessment;
using Kuroco.Core.Security;
using Kuroco.Core.Security.SelfAssessment;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Audit;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Security;

/// <summary>
/// The app with its sign-in rate limit raised until it is practically off, a dependency report with a vulnerable
/// package, and the header probe reaching the app itself through the test server (a real response of the pipeline).
/// </summary>
public sealed class SelfAssessmentAppFactory : KurocoAppFactory
{
    public string ReportPath => Path.Combine(DataPath, "vulnerable-packages.txt");

    public SelfAssessmentAppFactory()
    {
        Settings["Kuroco:RateLimits:SignInPerIpPerMinute"] = "100000";
        Settings["Kuroco:SelfAssessment:VulnerabilityReportPath"] = ReportPath;
        Settings["Kuroco:SelfAssessment:ProbeBaseUrl"] = "http://localhost";
        TestServices = services => services.AddHttpClient(WebSecurityFactsProvider.ProbeClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => ((TestServer)sp.GetRequiredService<IServer>()).CreateHandler());
    }
}

public sealed class SelfAssessmentTests(SelfAssessmentAppFactory factory) : IClassFixture<SelfAssessmentAppFactory>
{
    private Task<SelfAssessmentReport> RunAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<ISelfAssessment>().RunAsync(CancellationToken.None));

    private static SelfAssessmentItem Item(SelfAssessmentReport report, string code) => Assert.Single(report.Items, i => i.Code == code);

    [Fact]
    public async Task The_live_checks_read_the_running_system_and_flip_when_a_setting_is_weakened()
    {
        await File.WriteAllTextAsync(factory.ReportPath,
            $"# checked {DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'}\nProject `Kuroco.Admin` has the following vulnerable packages\n" +
            "   Transitive Package  Resolved  Severity  Advisory URL\n   > Vulnerable.Lib  1.2.3  Critical  https://example.test/a\n");
        var report = await RunAsync();

        // Every IPA class and operational item of the seed, once.
        Assert.Equal(
            ["sql-injection", "os-command-injection", "path-traversal", "session-management", "xss", "csrf", "http-header-injection",
             "mail-header-injection", "clickjacking", "buffer-overflow", "access-control", "https-hsts", "security-headers", "password-hashing",
             "password-policy", "waf-rate-limiting", "ip-restriction", "audit-review", "backup-verified", "restore-drill", "dependency-vulnerabilities"],
            report.Items.Select(i => i.Code));
        // The headers of a real response of the app (the probe went through the pipeline, not the configured values).
        var headers = Item(report, "security-headers");
        Assert.Equal(SelfAssessmentStatus.Pass, headers.Status);
        Assert.Equal(new SelfAssessmentEvidence("headers-probed", "http://localhost/account/login"), headers.Evidence[0]);
        Assert.Equal(SelfAssessmentStatus.Pass, Item(report, "clickjacking").Status);
        Assert.Equal(SelfAssessmentStatus.Pass, Item(report, "access-control").Status);
        // Development: no HTTPS redirection, no HSTS.
        Assert.Equal(SelfAssessmentStatus.Fail, Item(report, "https-hsts").Status);
        // The sign-in limit of 100,000 a minute is as good as off.
        Assert.Equal(SelfAssessmentStatus.Fail, Item(report, "waf-rate-limiting").Status);
        Assert.Equal(SelfAssessmentStatus.Fail, Item(report, "dependency-vulnerabilities").Status);
        Assert.Contains(new SelfAssessmentEvidence("vuln-package", "Vulnerable.Lib", "1.2.3", "Critical"), Item(report, "dependency-vulnerabilities").Evidence);
        Assert.Equal(SelfAssessmentStatus.Fail, Item(report, "audit-review").Status);
        Assert.Equal(SelfAssessmentStatus.Fail, Item(report, "backup-verified").Status);
        Assert.Equal(SelfAssessmentStatus.Warn, Item(report, "ip-restriction").Status);
        Assert.Equal(SelfAssessmentStatus.Pass, Item(report, "password-policy").Status);

        // Weakening the stored policy turns its item to Fail (lockout) and Warn (length), and back.
        var original = await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().GetAsync());
        try
        {
            var lenient = original.Clone();
            lenient.MaxFailedAttempts = 10;
            Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(lenient))).Succeeded);
            Assert.Equal(SelfAssessmentStatus.Fail, Item(await RunAsync(), "password-policy").Status);
            var shorter = original.Clone();
            shorter.MinLength = 8;
            Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(shorter))).Succeeded);
            Assert.Equal(SelfAssessmentStatus.Warn, Item(await RunAsync(), "password-policy").Status);
            // An API allowlist alone leaves the console reachable from anywhere: still a warning, with the API's range counted.
            Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>()
                .SaveAsync(IpAllowlistKind.Api, [new IpAllowlistEntry("203.0.113.0/24", "office")]))).Succeeded);
            var ip = Item(await RunAsync(), "ip-restriction");
            Assert.Equal(SelfAssessmentStatus.Warn, ip.Status);
            Assert.Equal(new SelfAssessmentEvidence("ip-none", "1"), ip.Evidence[0]);
        }
        finally
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(original.Clone()));
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>().SaveAsync(IpAllowlistKind.Api, []));
        }
        // No report file: a warning that names the file.
        File.Delete(factory.ReportPath);
        Assert.Equal(SelfAssessmentStatus.Warn, Item(await RunAsync(), "dependency-vulnerabilities").Status);
    }

    [Fact]
    public async Task Security_officers_export_csv_and_pdf_and_editors_are_refused()
    {
        var officer = await SignedInAsync(StaffRoles.SecurityOfficer);
        using var request = new HttpRequestMessage(HttpMethod.Get, SelfAssessmentApi.CsvPath);
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("ja-JP"));
        var csv = await officer.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("分類,項目,状態,確認方法,製品の対策,根拠,作成日時", lines[0]);
        Assert.Contains(lines, l => l.Contains("SQL インジェクション", StringComparison.Ordinal) && l.Contains(",説明,設計による対策,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("WAF・リクエスト数制限,不適合,実機チェック,", StringComparison.Ordinal));
        // Cells are formula-safe: nothing starts with =, +, - or @ unguarded.
        Assert.DoesNotContain(lines.SelectMany(l => l.Split(',')), c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@');

        var pdf = await officer.GetAsync(SelfAssessmentApi.PdfPath);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = PdfText.Extract(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("Kuroco security self-assessment", text, StringComparison.Ordinal);
        Assert.Contains("Clickjacking", text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/security/self-assessment")).StatusCode);
        var editor = await SignedInAsync(StaffRoles.ContentEditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/security/self-assessment")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync(SelfAssessmentApi.CsvPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync(SelfAssessmentApi.PdfPath)).StatusCode);
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var email = $"self-assessment-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }
}
