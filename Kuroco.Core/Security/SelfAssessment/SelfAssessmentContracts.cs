namespace Kuroco.Core.Security.SelfAssessment;

/// <summary>The result of one item: met, met with a reservation, not met, or a statement of how it is addressed (no live check).</summary>
public enum SelfAssessmentStatus
{
    Pass,
    Warn,
    Fail,
    Info,
}

/// <summary>The seed's two lists: the IPA "secure web site" vulnerability classes, and the operational measures.</summary>
public enum SelfAssessmentGroup
{
    WebApplication,
    Operations,
}

/// <summary>
/// One fact behind a status, language-neutral: <see cref="Key"/> names a localized sentence (<c>evidence:{Key}</c>) and
/// <see cref="Arguments"/> fill its placeholders (invariant values: numbers, header values, ISO-8601 UTC times).
/// </summary>
public sealed record SelfAssessmentEvidence(string Key, params string[] Arguments)
{
    /// <summary>Equal when the key and every argument are (the arguments compared as a sequence, not by reference).</summary>
    public bool Equals(SelfAssessmentEvidence? other) =>
        other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal) && Arguments.SequenceEqual(other.Arguments, StringComparer.Ordinal);

    public override int GetHashCode() => Arguments.Aggregate(StringComparer.Ordinal.GetHashCode(Key), (hash, a) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(a)));

    public override string ToString() => Key + "(" + string.Join(", ", Arguments) + ")";
}

/// <summary>
/// One item of the self-assessment: its code (the key of its title and of "how the product addresses it"), its group,
/// status and evidence, and whether the status comes from a live check of the running system.
/// </summary>
public sealed record SelfAssessmentItem(
    string Code,
    SelfAssessmentGroup Group,
    SelfAssessmentStatus Status,
    bool Live,
    IReadOnlyList<SelfAssessmentEvidence> Evidence);

/// <summary>The whole assessment as run at <see cref="GeneratedAtUtc"/>.</summary>
public sealed record SelfAssessmentReport(DateTime GeneratedAtUtc, IReadOnlyList<SelfAssessmentItem> Items)
{
    public int Count(SelfAssessmentStatus status) => Items.Count(i => i.Status == status);
}

/// <summary>Runs the security self-assessment's live checks. Implemented in Kuroco.Infrastructure/Security/SelfAssessment.</summary>
public interface ISelfAssessment
{
    Task<SelfAssessmentReport> RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What the web host knows and the infrastructure does not: HTTPS enforcement, the security headers a real response
/// carries, the rate limits and the authorization of the console's pages. Implemented in Kuroco.Admin.
/// </summary>
public interface IWebSecurityFacts
{
    Task<WebSecurityFacts> GetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The web host's facts. <see cref="Headers"/> are those of a real response of the app to <see cref="ProbedUrl"/> (null when
/// the probe could not be made: then <see cref="ProbeProblem"/> says why and the configured values are in <see cref="Headers"/>
/// with <see cref="HeadersFromConfiguration"/> set). Of the <see cref="PagesChecked"/> routable pages, <see cref="PagesAnonymous"/>
/// say [AllowAnonymous] and <see cref="PagesWithoutAuthorization"/> (routes) say neither that nor [Authorize]: they are
/// covered only by the fallback policy (signed-in users), when <see cref="FallbackRequiresSignIn"/>.
/// </summary>
public sealed record WebSecurityFacts(
    bool HttpsRedirection,
    bool Hsts,
    TimeSpan HstsMaxAge,
    bool HasHttpsEndpointOrProxy,
    IReadOnlyDictionary<string, string> Headers,
    bool HeadersFromConfiguration,
    string? ProbedUrl,
    string? ProbeProblem,
    int SignInPerIpPerMinute,
    int SignInPerAccountPerMinute,
    int ApiPerClientPerMinute,
    long MaxRequestBodyBytes,
    int PagesChecked,
    int PagesAnonymous,
    IReadOnlyList<string> PagesWithoutAuthorization,
    bool FallbackRequiresSignIn,
    bool IpRestrictionsDisabled);

/// <summary>Settings under Kuroco:SelfAssessment.</summary>
public sealed class SelfAssessmentOptions
{
    public const string SectionName = "Kuroco:SelfAssessment";

    /// <summary>
    /// The file CI writes with <c>dotnet list package --vulnerable --include-transitive</c> (scripts/test.sh), relative to the
    /// content root or absolute. Its first line is "# checked {ISO-8601 UTC}", then the command's output, or
    /// "# not available: {reason}".
    /// </summary>
    public string VulnerabilityReportPath { get; set; } = "../artifacts/vulnerable-packages.txt";

    /// <summary>A report older than this many days is a warning: run the check again.</summary>
    public int VulnerabilityReportMaxAgeDays { get; set; } = 31;

    /// <summary>The app's own address for the header probe (e.g. https://console.example.com); empty: the address the server listens on.</summary>
    public string? ProbeBaseUrl { get; set; }
}
