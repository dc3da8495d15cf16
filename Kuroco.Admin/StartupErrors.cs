using Kuroco.Infrastructure;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin;

/// <summary>
/// Configuration errors found while the console starts: a setting it cannot run with (e.g. SQL Server
/// without a connection string) or options that fail their start-up validation. The entry point prints
/// the one line this returns and exits with code 1 instead of an unhandled exception's stack trace.
/// </summary>
public static class StartupErrors
{
    public const int ExitCode = 1;

    /// <summary>The line to print for a configuration error; null for any other exception (those keep their stack trace).</summary>
    public static string? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reasons = Reasons(exception);
        return reasons is null ? null : "Kuroco cannot start, configuration error: " + string.Join(" ", reasons.Distinct(StringComparer.Ordinal));
    }

    private static IReadOnlyList<string>? Reasons(Exception exception)
    {
        switch (exception)
        {
            case ConfigurationException configuration:
                return [configuration.Message];
            case OptionsValidationException options:
                return [.. options.Failures];
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                // Start-up validation of several options classes reports every failure at once.
                var all = new List<string>();
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Reasons(inner) is not { } reasons)
                    {
                        return null;
                    }
                    all.AddRange(reasons);
                }
                return all;
            default:
                // Some code wraps the configuration error (e.g. a constructor resolving options).
                return exception.InnerException is { } wrapped ? Reasons(wrapped) : null;
        }
    }
}
