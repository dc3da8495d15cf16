using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kuroco.Tests.Support;

/// <summary>
/// A real Redis for the tests: Debian's <c>redis-server</c> (installed by scripts/test.sh) on a free 127.0.0.1 port,
/// without persistence (<c>--save '' --appendonly no</c>) in a temporary folder. It can be stopped and started again on
/// the same port (a Redis outage). KUROCO_REDIS_SERVER may point at another binary. A missing redis-server fails the
/// tests with a message naming the script; they never skip.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string ServerVariable = "KUROCO_REDIS_SERVER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string directory = Path.Combine(Path.GetTempPath(), "kuroco-tests", "redis-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder output = new();
    private Process? process;

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis connection string of this server (what <c>Redis:Configuration</c> takes).</summary>
    public string Configuration => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000");

    public bool IsRunning => process is { HasExited: false };

    /// <summary>The redis-server binary: KUROCO_REDIS_SERVER, else redis-server on the PATH (Debian: /usr/bin/redis-server).</summary>
    public static string ServerPath()
    {
        var configured = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{ServerVariable}={configured} is not a file.");
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            var candidate = Path.Combine(folder, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "redis-server is not installed: the several-instances tests run a real Redis. Run scripts/test.sh (it installs Debian's " +
            $"redis-server package), or apt-get install -y redis-server, or set {ServerVariable} to a redis-server binary.");
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }
        var start = new ProcessStartInfo(ServerPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var arg in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--protected-mode", "no" })
        {
            start.ArgumentList.Add(arg);
        }
        process?.Dispose();
        process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Kills the server (an outage); <see cref="StartAsync"/> brings it back on the same port, empty.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends one inline command and returns the first line of the answer (e.g. "+PONG").</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? "";
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} before answering on port {Port}: {Output()}");
            }
            try
            {
                if (await CommandAsync("PING") == "+PONG")
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"redis-server did not answer PING on port {Port} within {StartTimeout.TotalSeconds} s: {Output()}", ex);
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"redis-server did not answer PING on port {Port} within {StartTimeout.TotalSeconds} s: {Output()}");
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
