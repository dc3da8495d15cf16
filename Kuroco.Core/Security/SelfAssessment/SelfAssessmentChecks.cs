using System.Globalization;
using Kuroco.Core.Backups;

namespace Kuroco.Core.Security.SelfAssessment;

/// <summary>
/// The rules of the self-assessment: each turns the facts of the running system into an item with a status and its
/// evidence. Pure functions, so each rule is unit-tested; <see cref="ISelfAssessment"/> gathers the facts and calls them.
/// The thresholds come from the seed (password length 8 or more, lockout after 5 failures, monthly audit review) or are
/// stated beside them.
/// </summary>
public static class SelfAssessmentChecks
{
    /// <summary>The seed: passwords of 8 characters or more.</summary>
    public const int SeedMinLength = 8;

    /// <summary>The product's default and recommendation: 12 characters.</summary>
    public const int RecommendedMinLength = 12;

    /// <summary>The seed: locked after 5 wrong passwords in a row.</summary>
    public const int SeedMaxFailedAttempts = 5;

    /// <summary>Sign-in attempts per address per minute above this are a warning, above <see cref="RateLimitOffAbove"/> a failure.</summary>
    public const int RateLimitWarnAbove = 60;

    /// <summary>A sign-in limit this high does not slow a password-guessing attack: as good as off.</summary>
    public const int RateLimitOffAbove = 1000;

    /// <summary>HSTS max-age at least this long (OWASP: a year is usual; 180 days is the floor accepted here).</summary>
    public static readonly TimeSpan MinHstsMaxAge = TimeSpan.FromDays(180);

    /// <summary>PBKDF2 iterations of ASP.NET Core Identity's hasher (v3) below this are a warning (OWASP 2023: 210,000 for SHA-512).</summary>
    public const int MinHashIterations = 100_000;

    /// <summary>A newest backup older than this is a warning (the nightly backup missed a night).</summary>
    public static readonly TimeSpan BackupMaxAge = TimeSpan.FromHours(36);

    /// <summary>A last drill older than this is a warning (the drill is weekly).</summary>
    public static readonly TimeSpan DrillMaxAge = TimeSpan.FromDays(8);

    /// <summary>Session idle timeout above this many minutes is a warning.</summary>
    public const int MaxIdleMinutes = 60;

    /// <summary>The headers a console response must carry, and what each must contain (case-insensitive).</summary>
    public static IReadOnlyList<(string Header, string MustContain)> RequiredHeaders { get; } =
    [
        ("Content-Security-Policy", "default-src"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin"),
        ("Permissions-Policy", "camera=()"),
    ];

    private static SelfAssessmentEvidence E(string key, params object[] args) =>
        new(key, [.. args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? "")]);

    private static SelfAssessmentItem Web(string code, SelfAssessmentStatus status, bool live, params SelfAssessmentEvidence[] evidence) =>
        new(code, SelfAssessmentGroup.WebApplication, status, live, evidence);

    private static SelfAssessmentItem Ops(string code, SelfAssessmentStatus status, bool live, params SelfAssessmentEvidence[] evidence) =>
        new(code, SelfAssessmentGroup.Operations, status, live, evidence);

    /// <summary>The classes addressed by how the code is built (no live check): shown as Info with how.</summary>
    public static IReadOnlyList<SelfAssessmentItem> ByDesign(string databaseProvider, long maxRequestBodyBytes) =>
    [
        Web("sql-injection", SelfAssessmentStatus.Info, false, E("sql-parameterized", databaseProvider)),
        Web("os-command-injection", SelfAssessmentStatus.Info, false, E("no-shell")),
        Web("path-traversal", SelfAssessmentStatus.Info, false, E("generated-paths")),
        Web("csrf", SelfAssessmentStatus.Info, false, E("antiforgery")),
        Web("http-header-injection", SelfAssessmentStatus.Info, false, E("header-encoding")),
        Web("mail-header-injection", SelfAssessmentStatus.Info, false, E("mail-api")),
        Web("buffer-overflow", SelfAssessmentStatus.Info, false, E("managed-code", maxRequestBodyBytes)),
    ];

    public static SelfAssessmentItem Session(SessionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var status = policy.IdleTimeoutMinutes <= MaxIdleMinutes ? SelfAssessmentStatus.Pass : SelfAssessmentStatus.Warn;
        return Web("session-management", status, true,
            E("session-timeouts", policy.IdleTimeoutMinutes, policy.AbsoluteLifetimeMinutes, MaxIdleMinutes),
            E("session-cookie"));
    }

    public static SelfAssessmentItem CrossSiteScripting(WebSecurityFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var csp = Header(facts, "Content-Security-Policy");
        var scriptSrc = csp?.Split(';').Select(d => d.Trim()).FirstOrDefault(d => d.StartsWith("script-src", StringComparison.OrdinalIgnoreCase));
        var status = csp is null ? SelfAssessmentStatus.Fail
            : scriptSrc is null || scriptSrc.Contains("'unsafe-inline'", StringComparison.OrdinalIgnoreCase) ? SelfAssessmentStatus.Warn
            : SelfAssessmentStatus.Pass;
        return Web("xss", status, true, E("output-encoding"), csp is null ? E("header-missing", "Content-Security-Policy") : E("csp-script-src", scriptSrc ?? "—"));
    }

    public static SelfAssessmentItem Clickjacking(WebSecurityFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var frameOptions = Header(facts, "X-Frame-Options");
        var csp = Header(facts, "Content-Security-Policy") ?? "";
        var denied = string.Equals(frameOptions, "DENY", StringComparison.OrdinalIgnoreCase) || string.Equals(frameOptions, "SAMEORIGIN", StringComparison.OrdinalIgnoreCase);
        var ancestors = csp.Contains("frame-ancestors 'none'", StringComparison.OrdinalIgnoreCase) || csp.Contains("frame-ancestors 'self'", StringComparison.OrdinalIgnoreCase);
        var status = denied && ancestors ? SelfAssessmentStatus.Pass : denied || ancestors ? SelfAssessmentStatus.Warn : SelfAssessmentStatus.Fail;
        return Web("clickjacking", status, true, E("frame-headers", frameOptions ?? "—", ancestors ? "frame-ancestors" : "—"));
    }

    /// <summary>Every page states its access ([Authorize] with an area policy, or [AllowAnonymous]); a page that says neither is covered by the fallback policy (signed in) or fails.</summary>
    public static SelfAssessmentItem AccessControl(WebSecurityFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var restricted = facts.PagesChecked - facts.PagesAnonymous - facts.PagesWithoutAuthorization.Count;
        var summary = E("pages-authorized", facts.PagesChecked, restricted, facts.PagesAnonymous, facts.PagesWithoutAuthorization.Count);
        if (facts.PagesWithoutAuthorization.Count > 0 && !facts.FallbackRequiresSignIn)
        {
            return Web("access-control", SelfAssessmentStatus.Fail, true, summary, E("pages-unauthorized", string.Join(", ", facts.PagesWithoutAuthorization)));
        }
        return Web("access-control", SelfAssessmentStatus.Pass, true, summary, E("role-policies"));
    }

    public static SelfAssessmentItem Https(WebSecurityFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.HttpsRedirection || !facts.HasHttpsEndpointOrProxy)
        {
            return Ops("https-hsts", SelfAssessmentStatus.Fail, true,
                facts.HttpsRedirection ? E("no-https-endpoint") : E("https-not-enforced"));
        }
        var days = (int)facts.HstsMaxAge.TotalDays;
        return facts.Hsts && facts.HstsMaxAge >= MinHstsMaxAge
            ? Ops("https-hsts", SelfAssessmentStatus.Pass, true, E("https-enforced"), E("hsts", days))
            : Ops("https-hsts", SelfAssessmentStatus.Warn, true, E("https-enforced"), facts.Hsts ? E("hsts-short", days, (int)MinHstsMaxAge.TotalDays) : E("hsts-off"));
    }

    public static SelfAssessmentItem SecurityHeaders(WebSecurityFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var evidence = new List<SelfAssessmentEvidence>
        {
            facts.HeadersFromConfiguration ? E("headers-configured", facts.ProbeProblem ?? "") : E("headers-probed", facts.ProbedUrl ?? ""),
        };
        var missing = new List<string>();
        foreach (var (header, mustContain) in RequiredHeaders)
        {
            var value = Header(facts, header);
            if (value is null || !value.Contains(mustContain, StringComparison.OrdinalIgnoreCase))
            {
                missing.Add(header);
            }
            else
            {
                evidence.Add(E("header-present", header, value.Length > 80 ? value[..80] + "…" : value));
            }
        }
        if (missing.Count > 0)
        {
            evidence.Add(E("header-missing", string.Join(", ", missing)));
        }
        var status = missing.Count > 0 ? SelfAssessmentStatus.Fail : facts.HeadersFromConfiguration ? SelfAssessmentStatus.Warn : SelfAssessmentStatus.Pass;
        return Ops("security-headers", status, true, [.. evidence]);
    }

    public static SelfAssessmentItem PasswordHashing(int iterations) =>
        Ops("password-hashing", iterations >= MinHashIterations ? SelfAssessmentStatus.Pass : SelfAssessmentStatus.Warn, true,
            E("pbkdf2", iterations, MinHashIterations));

    /// <summary>The seed's password items: length 8 or more, lockout after 5 failures, history, mixed characters; 12 or more recommended.</summary>
    public static SelfAssessmentItem PasswordPolicy(PasswordPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var failures = new List<SelfAssessmentEvidence>();
        var warnings = new List<SelfAssessmentEvidence>();
        var facts = new List<SelfAssessmentEvidence>();
        if (policy.MinLength < SeedMinLength)
        {
            failures.Add(E("password-too-short", policy.MinLength, SeedMinLength));
        }
        else if (policy.MinLength < RecommendedMinLength)
        {
            warnings.Add(E("password-below-recommended", policy.MinLength, RecommendedMinLength));
        }
        else
        {
            facts.Add(E("password-length", policy.MinLength));
        }
        if (policy.MaxFailedAttempts > SeedMaxFailedAttempts)
        {
            failures.Add(E("lockout-too-lenient", policy.MaxFailedAttempts, SeedMaxFailedAttempts));
        }
        else
        {
            facts.Add(E("lockout", policy.MaxFailedAttempts, policy.LockoutUntilUnlocked ? "∞" : policy.LockoutMinutes.ToString(CultureInfo.InvariantCulture)));
        }
        if (policy.HistoryCount < 1)
        {
            failures.Add(E("history-off"));
        }
        else
        {
            facts.Add(E("history", policy.HistoryCount));
        }
        var classes = new[] { policy.RequireLowercase, policy.RequireUppercase, policy.RequireDigit, policy.RequireSymbol }.Count(b => b);
        if (Math.Max(classes, policy.MinCharacterClasses) < 2)
        {
            warnings.Add(E("mix-off"));
        }
        else
        {
            facts.Add(E("mix", Math.Max(classes, policy.MinCharacterClasses)));
        }
        facts.Add(policy.ExpiryDays > 0 ? E("expiry", policy.ExpiryDays) : E("expiry-off"));
        var status = failures.Count > 0 ? SelfAssessmentStatus.Fail : warnings.Count > 0 ? SelfAssessmentStatus.Warn : SelfAssessmentStatus.Pass;
        return Ops("password-policy", status, true, [.. failures, .. warnings, .. facts]);
    }

    public static SelfAssessmentItem RateLimiting(WebSecurityFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var worst = Math.Max(facts.SignInPerIpPerMinute, facts.SignInPerAccountPerMinute);
        var status = worst > RateLimitOffAbove ? SelfAssessmentStatus.Fail : worst > RateLimitWarnAbove ? SelfAssessmentStatus.Warn : SelfAssessmentStatus.Pass;
        return Ops("waf-rate-limiting", status, true,
            E("rate-limits", facts.SignInPerIpPerMinute, facts.SignInPerAccountPerMinute, facts.ApiPerClientPerMinute),
            status == SelfAssessmentStatus.Fail ? E("rate-limits-off", RateLimitOffAbove) : E("edge-waf"));
    }

    public static SelfAssessmentItem IpRestriction(int consoleRanges, int apiRanges, bool disabled)
    {
        if (disabled)
        {
            return Ops("ip-restriction", SelfAssessmentStatus.Fail, true, E("ip-disabled"));
        }
        return consoleRanges > 0
            ? Ops("ip-restriction", SelfAssessmentStatus.Pass, true, E("ip-ranges", consoleRanges, apiRanges))
            : Ops("ip-restriction", SelfAssessmentStatus.Warn, true, E("ip-none", apiRanges));
    }

    /// <summary>The seed: the security officer reviews the audit log once a month — the review of the previous month, signed.</summary>
    public static SelfAssessmentItem AuditReview(string month, Audit.Review.AuditReviewStatus? status, DateTime? signedAtUtc)
    {
        var item = status switch
        {
            Audit.Review.AuditReviewStatus.Signed => (SelfAssessmentStatus.Pass, E("review-signed", month, Utc(signedAtUtc))),
            Audit.Review.AuditReviewStatus.Overdue or Audit.Review.AuditReviewStatus.Failed => (SelfAssessmentStatus.Fail, E("review-overdue", month)),
            null => (SelfAssessmentStatus.Fail, E("review-missing", month)),
            _ => (SelfAssessmentStatus.Warn, E("review-open", month)),
        };
        return Ops("audit-review", item.Item1, true, item.Item2);
    }

    public static SelfAssessmentItem LastBackup(BackupManifest? newest, DateTime nowUtc)
    {
        if (newest is null)
        {
            return Ops("backup-verified", SelfAssessmentStatus.Fail, true, E("backup-none"));
        }
        var completed = newest.CompletedAtUtc.UtcDateTime;
        return Ops("backup-verified", nowUtc - completed <= BackupMaxAge ? SelfAssessmentStatus.Pass : SelfAssessmentStatus.Warn, true,
            E("backup-last", newest.Id, Utc(completed), (int)BackupMaxAge.TotalHours));
    }

    public static SelfAssessmentItem LastDrill(BackupDrillResult? latest, DateTime nowUtc)
    {
        if (latest is null)
        {
            return Ops("restore-drill", SelfAssessmentStatus.Warn, true, E("drill-none"));
        }
        var ran = latest.RanAtUtc.UtcDateTime;
        if (!latest.Passed)
        {
            return Ops("restore-drill", SelfAssessmentStatus.Fail, true, E("drill-failed", latest.GenerationId, Utc(ran), latest.Problem ?? ""));
        }
        return Ops("restore-drill", nowUtc - ran <= DrillMaxAge ? SelfAssessmentStatus.Pass : SelfAssessmentStatus.Warn, true,
            E("drill-passed", latest.GenerationId, Utc(ran), (int)DrillMaxAge.TotalDays));
    }

    public static SelfAssessmentItem Dependencies(VulnerabilityReport? report, string path, DateTime nowUtc, int maxAgeDays)
    {
        if (report is null)
        {
            return Ops("dependency-vulnerabilities", SelfAssessmentStatus.Warn, true, E("vuln-no-file", path));
        }
        if (!report.Available)
        {
            return Ops("dependency-vulnerabilities", SelfAssessmentStatus.Warn, true, E("vuln-not-available", Utc(report.CheckedAtUtc), report.Problem ?? ""));
        }
        if (report.Packages.Count > 0)
        {
            return Ops("dependency-vulnerabilities", SelfAssessmentStatus.Fail, true,
                [E("vuln-found", report.Packages.Count, Utc(report.CheckedAtUtc)),
                 .. report.Packages.Take(20).Select(p => E("vuln-package", p.Name, p.Version, p.Severity))]);
        }
        var stale = report.CheckedAtUtc is not { } at || nowUtc - at > TimeSpan.FromDays(maxAgeDays);
        return Ops("dependency-vulnerabilities", stale ? SelfAssessmentStatus.Warn : SelfAssessmentStatus.Pass, true,
            stale ? E("vuln-stale", Utc(report.CheckedAtUtc), maxAgeDays) : E("vuln-none", Utc(report.CheckedAtUtc), report.CleanProjects));
    }

    private static string? Header(WebSecurityFacts facts, string name) =>
        facts.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string Utc(DateTime? value) =>
        value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";
}
