namespace Kuroco.Core.Logs;

/// <summary>
/// How long server logs are kept. The seed promises "server logs are kept at least 12 months and can be
/// read in the console": the setting cannot go below <see cref="MinMonths"/>.
/// </summary>
public static class LogRetention
{
    public const int MinMonths = 12;
    public const int MaxMonths = 120;
    /// <summary>One month above the floor, so a whole twelfth month is always still there.</summary>
    public const int DefaultMonths = 13;

    public static bool IsValid(int months) => months is >= MinMonths and <= MaxMonths;

    /// <summary>Entries older than this are purged (months counted back from <paramref name="now"/>, UTC).</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now, int months) => now.ToUniversalTime().AddMonths(-months);
}

/// <summary>Changes the log retention (audited) and reads it.</summary>
public interface ILogRetentionSettings
{
    Task<int> GetMonthsAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the retention; below the floor or above the maximum it is refused and nothing changes.</summary>
    /// <returns>null when saved, else the localized reason it was refused.</returns>
    Task<string?> SetMonthsAsync(int months, CancellationToken cancellationToken = default);
}
