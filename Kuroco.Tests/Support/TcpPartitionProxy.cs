using System.Net;
using System.Net.Sockets;

namespace Kuroco.Tests.Support;

/// <summary>
/// A TCP relay on a free 127.0.0.1 port to a server on <c>targetPort</c> that can cut the line the way a network
/// partition does: <see cref="Partition"/> makes every connection, open or new, silent (bytes are swallowed, nothing is
/// closed, a new connection is accepted and never answered), while the server keeps running with its data.
/// <see cref="Heal"/> forwards again; the connections that went silent are closed then (their peer had given up on them).
/// </summary>
public sealed class TcpPartitionProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> open = [];
    private volatile bool partitioned;
    private readonly Task accepting;

    public TcpPartitionProxy(int targetPort, bool partitioned = false)
    {
        this.targetPort = targetPort;
        this.partitioned = partitioned;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    public void Partition() => partitioned = true;

    public void Heal()
    {
        partitioned = false;
        CloseAll();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        CloseAll();
        try
        {
            await accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            Track(client);
            if (partitioned)
            {
                continue; // accepted, never answered
            }
            var upstream = new TcpClient();
            Track(upstream);
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, targetPort, stopping.Token);
            }
            catch (SocketException)
            {
                // The server is down: the client sees its connection refused.
                client.Dispose();
                upstream.Dispose();
                continue;
            }
            _ = RelayAsync(client, upstream);
            _ = RelayAsync(upstream, client);
        }
    }

    private async Task RelayAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            int read;
            while ((read = await source.ReadAsync(buffer, stopping.Token)) > 0)
            {
                if (!partitioned)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), stopping.Token);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // One side went away.
        }
        from.Dispose();
        to.Dispose();
    }

    private void Track(TcpClient client)
    {
        lock (open)
        {
            open.RemoveAll(c => c.Client is not { Connected: true });
            open.Add(client);
        }
    }

    private void CloseAll()
    {
        TcpClient[] all;
        lock (open)
        {
            all = [.. open];
            open.Clear();
        }
        foreach (var client in all)
        {
            client.Dispose();
        }
    }
}
