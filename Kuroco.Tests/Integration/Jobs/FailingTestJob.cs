using Hangfire;

namespace Kuroco.Tests.Integration.Jobs;

/// <summary>A background job that always fails with the given message (no automatic retry), for the jobs screen's tests.</summary>
public static class FailingTestJob
{
    [AutomaticRetry(Attempts = 0)]
    public static void Fail(string message) => throw new InvalidOperationException(message);

    /// <summary>Succeeds: a job created in the Failed state with this method leaves the failed list for good once retried.</summary>
    [AutomaticRetry(Attempts = 0)]
    public static void Succeed()
    {
    }
}
