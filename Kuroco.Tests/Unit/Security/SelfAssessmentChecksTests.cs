using Kuroco.Core.Backups;
using Kuroco.Core.Security;
using Kuroco.Core.Security.SelfAssessment;

namespace Kuroco.Tests.Unit.Security;

/// <summary>The self-assessment's rules flip when a setting is weakened.</summary>
public sealed class SelfAssessmentChecksTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 1, 0, 0, DateTimeKind.Utc);

    private static WebSecurityFacts Facts(int signInPerIp = 20, Dictionary<string, string>? headers = null, bool production = true) => new(
        HttpsRedirection: production, Hsts: production, HstsMaxAge: TimeSpan.FromDays(365), HasHttpsEndpointOrProxy: true,
        Headers: headers ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
            ["X-Frame-Options"] = "DENY",
            ["X-Content-Type-Options"] = "nosniff",
            ["Referrer-Policy"] = "strict-origin-when-cross-origin",
            ["Permissions-Policy"] = "camera=()",
        },
        HeadersFromConfiguration: false, ProbedUrl: "http://localhost/account/login", ProbeProblem: null,
        SignInPerIpPerMinute: signInPerIp, SignInPerAccountPerMinute: 10, ApiPerClientPerMinute: 600, MaxRequestBodyBytes: 4096,
        PagesChecked: 10, PagesAnonymous: 2, PagesWithoutAuthorization: ["/account/passkeys"], FallbackRequiresSignIn: true,
        IpRestrictionsDisabled: false);

    [Fact]
    public void The_password_policy_fails_below_the_check_sheet_and_warns_below_the_recommendation()
    {
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.PasswordPolicy(new PasswordPolicy()).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.PasswordPolicy(new PasswordPolicy { MinLength = 8 }).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.PasswordPolicy(new PasswordPolicy { MinLength = 6 }).Status);
        var lenient = SelfAssessmentChecks.PasswordPolicy(new PasswordPolicy { MaxFailedAttempts = 10 });
        Assert.Equal(SelfAssessmentStatus.Fail, lenient.Status);
        Assert.Equal(new SelfAssessmentEvidence("lockout-too-lenient", "10", "5"), lenient.Evidence[0]);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.PasswordPolicy(new PasswordPolicy { HistoryCount = 0 }).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.PasswordPolicy(new PasswordPolicy
        {
            RequireDigit = false, RequireLowercase = false, RequireSymbol = false, RequireUppercase = false, MinCharacterClasses = 0,
        }).Status);
    }

    [Fact]
    public void Rate_limits_pass_warn_and_fail_as_they_are_raised()
    {
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.RateLimiting(Facts(20)).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.RateLimiting(Facts(120)).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.RateLimiting(Facts(100_000)).Status);
    }

    [Fact]
    public void Headers_https_and_access_control_follow_the_facts()
    {
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.SecurityHeaders(Facts()).Status);
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.Clickjacking(Facts()).Status);
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.CrossSiteScripting(Facts()).Status);
        var bare = Facts(headers: new Dictionary<string, string> { ["X-Content-Type-Options"] = "nosniff" });
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.SecurityHeaders(bare).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.Clickjacking(bare).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.CrossSiteScripting(bare).Status);
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.Https(Facts()).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.Https(Facts(production: false)).Status);
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.AccessControl(Facts()).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.AccessControl(Facts() with { FallbackRequiresSignIn = false }).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.IpRestriction(0, 0, false).Status);
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.IpRestriction(1, 0, false).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.IpRestriction(1, 0, true).Status);
    }

    [Fact]
    public void Backups_drills_and_the_review_age()
    {
        var manifest = new BackupManifest("20261206T170000Z-3f2a", 1, BackupTrigger.Nightly, Now.AddHours(-9), Now.AddHours(-8), "1", "Sqlite", null,
            new Dictionary<string, long>(), [], false, null, "gzip");
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.LastBackup(manifest, Now).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.LastBackup(manifest, Now.AddDays(3)).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.LastBackup(null, Now).Status);
        var drill = new BackupDrillResult(manifest.Id, Now.AddDays(-2), true, TimeSpan.FromSeconds(3), null);
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.LastDrill(drill, Now).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.LastDrill(drill with { Passed = false, Problem = "row counts" }, Now).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.LastDrill(drill, Now.AddDays(10)).Status);
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.AuditReview("2026-11", Kuroco.Core.Audit.Review.AuditReviewStatus.Signed, Now).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.AuditReview("2026-11", Kuroco.Core.Audit.Review.AuditReviewStatus.Ready, null).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.AuditReview("2026-11", Kuroco.Core.Audit.Review.AuditReviewStatus.Overdue, null).Status);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.AuditReview("2026-11", null, null).Status);
    }

    [Fact]
    public void The_dependency_report_is_read_as_dotnet_list_package_writes_it()
    {
        const string vulnerable = """
            # checked 2026-12-06T20:00:00Z
            # command: dotnet list Kuroco.sln package --vulnerable --include-transitive
            The following sources were used:
               https://api.nuget.org/v3/index.json

            Project `Kuroco.Core` has no vulnerable packages given the current sources.
            Project `Kuroco.Admin` has the following vulnerable packages
               [net10.0]:
               Top-level Package      Requested   Resolved   Severity   Advisory URL
               > Some.Package         1.0.0       1.0.0      High       https://github.com/advisories/GHSA-xxxx

               Transitive Package     Resolved   Severity   Advisory URL
               > Other.Lib            2.3.4      Moderate   https://github.com/advisories/GHSA-yyyy
            """;
        var report = VulnerabilityReport.Parse(vulnerable);
        Assert.True(report.Available);
        Assert.Equal(new DateTime(2026, 12, 6, 20, 0, 0, DateTimeKind.Utc), report.CheckedAtUtc);
        Assert.Equal([new VulnerablePackage("Some.Package", "1.0.0", "High"), new VulnerablePackage("Other.Lib", "2.3.4", "Moderate")], report.Packages);
        Assert.Equal(SelfAssessmentStatus.Fail, SelfAssessmentChecks.Dependencies(report, "f", Now, 31).Status);

        var clean = VulnerabilityReport.Parse("# checked 2026-12-06T20:00:00Z\nProject `Kuroco.Core` has no vulnerable packages given the current sources.\n");
        Assert.Equal(SelfAssessmentStatus.Pass, SelfAssessmentChecks.Dependencies(clean, "f", Now, 31).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.Dependencies(clean, "f", Now.AddDays(40), 31).Status);

        var unavailable = VulnerabilityReport.Parse("# checked 2026-12-06T20:00:00Z\n# not available: error NU1301: Unable to load the service index\n");
        Assert.False(unavailable.Available);
        Assert.Equal("error NU1301: Unable to load the service index", unavailable.Problem);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.Dependencies(unavailable, "f", Now, 31).Status);
        Assert.Equal(SelfAssessmentStatus.Warn, SelfAssessmentChecks.Dependencies(null, "f", Now, 31).Status);
    }
}
