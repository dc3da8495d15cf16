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
public sealed class RedisServerFixture() : ProcessFixture("redis-server")
{
    public const string ServerVariable = "KUROCO_REDIS_SERVER";

    private static readonly string Missing =
        "redis-server is not installed: the several-instances tests run a real Redis. Run scripts/test.sh (it installs Debian's " +
        $"redis-server package), or apt-get install -y redis-server, or set {ServerVariable} to a redis-server binary.";

    /// <summary>The StackExchange.Redis connection string of this server (what <c>Redis:Configuration</c> takes).</summary>
    public string Configuration => ConfigurationFor(Port);

    /// <summary>The connection string the tests use, for a Redis (or a relay to it) on <paramref name="port"/>.</summary>
    public static string ConfigurationFor(int port) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port},abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000");

    protected override string MissingProgramMessage => Missing;

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
        throw new InvalidOperationException(Missing);
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

    protected override ProcessStartInfo Program()
    {
        var start = new ProcessStartInfo(ServerPath()) { WorkingDirectory = Folder };
        foreach (var arg in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", Folder, "--protected-mode", "no" })
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }

    protected override async Task<bool> AnswersAsync()
    {
        try
        {
            return await CommandAsync("PING") == "+PONG";
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }
}
