namespace Kuroco.Infrastructure.Backups;

/// <summary>
/// One backup (or restore) at a time: a process-wide gate plus an OS lock on <c>{backups}/.lock</c>, held open while the
/// run lasts, so two instances on one machine do not overlap. The OS releases the file lock when a process dies, so a
/// crash never leaves the lock behind.
/// </summary>
internal sealed class BackupLock
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>The held lock, or null when another run holds it.</summary>
    public IDisposable? TryAcquire(string folder)
    {
        if (!gate.Wait(0))
        {
            return null;
        }
        try
        {
            Directory.CreateDirectory(folder);
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
            var file = new FileStream(Path.Combine(folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new Held(gate, file);
        }
        catch (IOException)
        {
            gate.Release();
            return null;
        }
    }

    private sealed class Held(SemaphoreSlim gate, FileStream file) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                file.Dispose();
                gate.Release();
            }
        }
    }
}
