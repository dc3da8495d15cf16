using System.Diagnostics;
using Kuroco.Core.Logs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Logs;

/// <summary>
/// Writes application log lines (ILogger) to the server-log store through the non-blocking <see cref="ILogWriter"/>,
/// with the correlation id (the W3C trace id, as X-Correlation-Id) and the signed-in user's name. Times are
/// UTC from the server clock. The writer's own categories are never stored (a failing store must not feed itself).
/// </summary>
[ProviderAlias("ServerLog")]
public sealed partial class DatabaseLoggerProvider(
    ILogWriter logWriter,
    TimeProvider timeProvider,
    IHttpContextAccessor httpContextAccessor,
    IOptions<ServerLogOptions> options) : ILoggerProvider
{
    private readonly ILogWriter writer = logWriter;
    private readonly TimeProvider clock = timeProvider;
    private readonly IHttpContextAccessor httpContext = httpContextAccessor;

    public const int MessageMaxLength = 8_000;
    public const int ExceptionMaxLength = 16_000;
    private const string OwnNamespace = "Kuroco.Infrastructure.Logs";

    public ILogger CreateLogger(string categoryName) => new DatabaseLogger(this, categoryName ?? "", MinimumFor(categoryName ?? ""));

    public void Dispose()
    {
        // Nothing to release: the writer belongs to the container.
    }

    /// <summary>A placeholder name that holds a secret.</summary>
    public static bool IsSecretName(string name) =>
        name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ApiKey", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Key", StringComparison.OrdinalIgnoreCase);

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(?<name>[^{}:,]+)[^{}]*\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    /// <summary>A query-string parameter: <c>?name=value</c> or <c>&amp;name=value</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<lead>[?&])(?<name>[A-Za-z0-9_.\-\[\]]+)=(?<value>[^&\s#""'<>]*)")]
    private static partial System.Text.RegularExpressions.Regex QueryParameter();

    /// <summary>
    /// A URL in a message keeps its query string, but the value of a parameter that holds a secret (<c>token=</c>,
    /// <c>password=</c>, <c>api_key=</c>, <c>sig=</c>…) is replaced with "***".
    /// </summary>
    public static string RedactQueryStrings(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.IndexOf('=', StringComparison.Ordinal) < 0)
        {
            return text;
        }
        return QueryParameter().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            var secret = IsSecretName(name) || name.Contains("key", StringComparison.OrdinalIgnoreCase)
                || name.Equals("sig", StringComparison.OrdinalIgnoreCase) || name.Equals("signature", StringComparison.OrdinalIgnoreCase)
                || name.Equals("code", StringComparison.OrdinalIgnoreCase);
            return secret && m.Groups["value"].Length > 0 ? m.Groups["lead"].Value + name + "=***" : m.Value;
        });
    }

    private LogLevel MinimumFor(string category)
    {
        if (category.StartsWith(OwnNamespace, StringComparison.Ordinal))
        {
            return LogLevel.None;
        }
        var minimum = options.Value.MinimumLevel;
        if (category.StartsWith("Microsoft.", StringComparison.Ordinal) || category.StartsWith("System.", StringComparison.Ordinal))
        {
            return category.StartsWith("Microsoft.Hosting.Lifetime", StringComparison.Ordinal) ? minimum : (LogLevel)Math.Max((int)minimum, (int)LogLevel.Warning);
        }
        return minimum;
    }

    private sealed class DatabaseLogger(DatabaseLoggerProvider provider, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || formatter is null)
            {
                return;
            }
            string message;
            string? user = null;
            string? correlation = Activity.Current?.TraceId.ToHexString();
            try
            {
                message = state is IReadOnlyList<KeyValuePair<string, object?>> values
                    ? Redact(values, formatter(state, exception) ?? "")
                    : formatter(state, exception) ?? "";
                var context = provider.httpContext.HttpContext;
                if (context is not null)
                {
                    user = context.User?.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
                    correlation ??= context.TraceIdentifier;
                }
            }
#pragma warning disable CA1031 // Logging must never throw into the caller.
            catch (Exception)
#pragma warning restore CA1031
            {
                return;
            }
            // Everything shipped from here (the store and, with OTLP on, the exporter) is redacted once, here.
            provider.writer.TryWrite(new ApplicationLogEntry(
                provider.clock.GetUtcNow(),
                logLevel.ToString(),
                category,
                Truncate(RedactQueryStrings(message), MessageMaxLength)!,
                Truncate(exception is null ? null : RedactQueryStrings(exception.ToString()), ExceptionMaxLength),
                correlation,
                user));
        }

        /// <summary>
        /// A message whose placeholders name a secret ({Password}, {Token}, {Secret}, {ApiKey}) is stored with "***" in
        /// their place: the console log may show a one-time password once, the log file (read by Operators) never keeps it.
        /// </summary>
        private static string Redact(IReadOnlyList<KeyValuePair<string, object?>> values, string formatted)
        {
            string? template = null;
            var hasSecret = false;
            foreach (var (key, value) in values)
            {
                if (key == "{OriginalFormat}")
                {
                    template = value as string;
                }
                else if (IsSecretName(key))
                {
                    hasSecret = true;
                }
            }
            if (!hasSecret || template is null)
            {
                return formatted;
            }
            var byName = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in values)
            {
                byName.TryAdd(key, value);
            }
            return Placeholder().Replace(template, m =>
            {
                var name = m.Groups["name"].Value;
                return IsSecretName(name) ? "***" : Convert.ToString(byName.GetValueOrDefault(name), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            });
        }

        private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
    }
}
