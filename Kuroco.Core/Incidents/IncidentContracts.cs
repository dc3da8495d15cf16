namespace Kuroco.Core.Incidents;

/// <summary>
/// The seed's seven steps of incident handling, in order. They are the incident's states: each transition goes to the
/// next step only (no step can be skipped), recording who and when. The state machine lives in this folder.
/// </summary>
public enum IncidentStep
{
    /// <summary>① 検知 — detected (by an alert or a person).</summary>
    Detected = 1,

    /// <summary>② 確認 — confirmed as a real incident.</summary>
    Confirmed = 2,

    /// <summary>③ 状況報告 — the first status notice was sent.</summary>
    StatusReported = 3,

    /// <summary>④ 調査 — under investigation (progress reports due when recovery is expected to take over three hours).</summary>
    Investigating = 4,

    /// <summary>⑤ 復旧 — recovered.</summary>
    Recovered = 5,

    /// <summary>⑥ 復旧確認 — recovery confirmed.</summary>
    RecoveryConfirmed = 6,

    /// <summary>⑦ 復旧報告 — recovery announced; the incident is closed.</summary>
    RecoveryAnnounced = 7,
}

/// <summary>The seed's cause classes; the cause decides who recovers (step ⑤).</summary>
public enum IncidentCause
{
    Unknown = 0,

    /// <summary>Network: infrastructure engineers recover.</summary>
    Network = 1,

    /// <summary>Hardware: infrastructure engineers recover.</summary>
    Hardware = 2,

    /// <summary>Software: the customer's or the vendor's engineers recover.</summary>
    Software = 3,
}

/// <summary>The public components the status page reports on (stable codes, localized at display).</summary>
public static class StatusComponents
{
    public const string Console = "console";
    public const string DeliveryApi = "api";
    public const string Jobs = "jobs";
    public const string Mail = "mail";
    public const string Backups = "backups";

    public static IReadOnlyList<string> All { get; } = [Console, DeliveryApi, Jobs, Mail, Backups];
}
