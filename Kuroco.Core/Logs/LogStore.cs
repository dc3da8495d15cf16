namespace Kuroco.Core.Logs;

/// <summary>A stored log entry with its row id (the tie-breaker of the keyset order).</summary>
public sealed record StoredLogEntry(long Id, LogEntry Entry);

/// <summary>Where a page ends: the next page starts strictly after (older than) this position.</summary>
public sealed record LogCursor(long AtTicks, long Id);

/// <summary>One page of entries, newest first, and where the next (older) page starts, if there is one.</summary>
public sealed record LogPage(IReadOnlyList<StoredLogEntry> Items, LogCursor? Next);

/// <summary>
/// A search of one kind of log. <see cref="Severity"/> is the level (application), the status class
/// ("2xx", "4xx", "5xx" or an exact code, API requests) or the outcome (jobs, mail). Times are UTC, the
/// range is [From, To). Text matches (substring, case-insensitive for ASCII) the message, category,
/// exception, path, job name, recipient or subject.
/// </summary>
public sealed record LogQuery(
    LogKind Kind,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Severity = null,
    string? Text = null,
    string? CorrelationId = null,
    LogCursor? After = null,
    int PageSize = LogQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int TextMaxLength = 200;
}

/// <summary>The log store, kept apart from the main database so that log volume never slows the console.</summary>
public interface ILogStore
{
    Task AppendAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default);

    Task<LogPage> ReadAsync(LogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every entry matching the query (ignoring paging), newest first, read in pages so memory stays flat.</summary>
    IAsyncEnumerable<StoredLogEntry> StreamAsync(LogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="batchSize"/> entries of each kind older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PurgeBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken = default);

    Task<int?> GetRetentionMonthsAsync(CancellationToken cancellationToken = default);

    Task SetRetentionMonthsAsync(int months, CancellationToken cancellationToken = default);
}

/// <summary>
/// Queues entries for the log store. Never blocks and never throws: when the queue is full the entry is
/// dropped and counted, so logging can never slow down or break a request.
/// </summary>
public interface ILogWriter
{
    bool TryWrite(LogEntry entry);

    /// <summary>Entries dropped because the queue was full or the store failed.</summary>
    long Dropped { get; }
}
