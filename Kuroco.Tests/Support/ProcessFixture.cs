using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kuroco.Tests.Support;

/// <summary>
/// A real server the tests run as a child process on a free 127.0.0.1 port over a temporary folder: started and
/// awaited until it answers (its output is quoted when it exits or stays silent), killed with its children on
/// dispose (or by <see cref="StopAsync"/>, and started again on the same port by <see cref="StartAsync"/>). A missing
/// program fails the tests with the fixture's message naming the script that installs it; they never skip.
/// </summary>
public abstract class ProcessFixture : IAsyncLifetime
{
    private readonly StringBuilder output = new();
    private Process? process;

    protected ProcessFixture(string name)
    {
        Name = name;
        Folder = Path.Combine(Path.GetTempPath(), "kuroco-tests", name + "-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The server's name in messages (and its folder's).</summary>
    public string Name { get; }

    public int Port { get; private set; }

    public bool IsRunning => process is { HasExited: false };

    /// <summary>The server's temporary folder, deleted on dispose.</summary>
    protected string Folder { get; }

    protected virtual TimeSpan StartTimeout => TimeSpan.FromSeconds(20);

    /// <summary>Why the program could not be started and how to install it.</summary>
    protected abstract string MissingProgramMessage { get; }

    /// <summary>The program and its arguments for <see cref="Port"/> and <see cref="Folder"/> (may throw when it is missing).</summary>
    protected abstract ProcessStartInfo Program();

    /// <summary>True when the server answers; false (not an exception) while it does not listen yet.</summary>
    protected abstract Task<bool> AnswersAsync();

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it answers.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }
        var start = Program();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        process?.Dispose();
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(MissingProgramMessage, ex);
        }
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync(process);
    }

    /// <summary>Kills the server and its children (an outage); <see cref="StartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
        GC.SuppressFinalize(this);
    }

    private async Task WaitUntilAnsweringAsync(Process started)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await AnswersAsync())
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {started.ExitCode} before answering on port {Port}: {Output()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not answer on port {Port} within {StartTimeout.TotalSeconds} s: {Output()}");
            }
            await Task.Delay(50);
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (output)
        {
            return output.Length == 0 ? "(no output)" : output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
