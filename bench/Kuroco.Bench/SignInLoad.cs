using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Kuroco.Bench;

/// <summary>
/// Sign-in throughput through the real form (GET the page for its antiforgery token, POST the
/// credentials) with N concurrent clients for a fixed time. Loopback only: the URL must be local.
/// </summary>
internal static partial class SignInLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("signin URL EMAIL PASSWORD [CONCURRENCY=4] [SECONDS=20]");
            return 2;
        }
        var baseUri = new Uri(args[0]);
        if (!baseUri.IsLoopback)
        {
            Console.Error.WriteLine("Load is only ever sent to this machine (127.0.0.1/localhost).");
            return 2;
        }
        var (email, password) = (args[1], args[2]);
        var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;
        var duration = TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20);

        var latencies = new List<double>();
        var errors = 0;
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var local = new List<double>();
            while (stop.Elapsed < duration)
            {
                using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
                using var client = new HttpClient(handler) { BaseAddress = baseUri };
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var form = await client.GetStringAsync("/account/login");
                    var token = WebUtility.HtmlDecode(TokenPattern().Match(form).Groups[1].Value);
                    using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["_handler"] = "login",
                        ["__RequestVerificationToken"] = token,
                        ["Input.Email"] = email,
                        ["Input.Password"] = password,
                    }));
                    if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.TryGetValues("Set-Cookie", out var cookies)
                        && cookies.Any(c => c.StartsWith("Kuroco.Auth=", StringComparison.Ordinal)))
                    {
                        local.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        if (Interlocked.Increment(ref errors) <= 3)
                        {
                            var body = await response.Content.ReadAsStringAsync();
                            var at = body.IndexOf("role=\"alert\"", StringComparison.Ordinal);
                            Console.Error.WriteLine($"unexpected answer: {(int)response.StatusCode} {response.Headers.Location} {(at < 0 ? "" : body.Substring(at, Math.Min(160, body.Length - at)))}");
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            lock (latencies)
            {
                latencies.AddRange(local);
            }
        }).ToList();
        await Task.WhenAll(workers);
        var seconds = stop.Elapsed.TotalSeconds;
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"concurrency {concurrency}, {seconds:F1} s: {latencies.Count} sign-ins ({latencies.Count / seconds:F1}/s), {errors} errors; " +
            $"latency (GET form + POST) p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms"));
        return errors == 0 ? 0 : 1;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
