using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// One run of a coverage scenario: the setup runs freely, then the method under test is called once inside
/// <see cref="CallAsync{T}"/>, which records the audit entries appended by that call only.
/// </summary>
public sealed class AuditScenario(AuditCoverageAppFactory app)
{
    private readonly List<AuditEntry> written = [];

    public AuditCoverageAppFactory App => app;

    /// <summary>Whether the scenario called the method under test (through <see cref="CallAsync{T}"/> or <see cref="HttpAsync"/>).</summary>
    public bool Called { get; private set; }

    /// <summary>The log's last sequence before the call: entries written later by a job the call queued come after it.</summary>
    public long SequenceBefore { get; private set; }

    /// <summary>The entries the call appended (in its own async flow, or during the HTTP request).</summary>
    public IReadOnlyList<AuditEntry> Written => written;

    /// <summary>Who the services see as the current user during the call; the bootstrap Administrator when not set.</summary>
    public AuditActor? Actor { get; set; }

    public static string Unique() => Guid.NewGuid().ToString("N")[..10];

    /// <summary>Calls the method under test in a scope of its own, as the console would, recording what it appends.</summary>
    public async Task<T> CallAsync<T>(Func<IServiceProvider, Task<T>> call, string? requestCookies = null)
    {
        await BeginAsync();
        var actor = Actor ?? await app.AdministratorAsync();
        using var acting = ActingAuditContext.As(actor);
        using var capture = AuditCapture.Begin();
        var result = await app.WithScopeAsync(async sp =>
        {
            // A request of its own, as a form post would be (the sign-in services write cookies to it).
            var accessor = sp.GetRequiredService<IHttpContextAccessor>();
            var http = new DefaultHttpContext { RequestServices = sp };
            if (requestCookies is not null)
            {
                http.Request.Headers.Cookie = requestCookies;
            }
            accessor.HttpContext = http;
            try
            {
                return await call(sp);
            }
            finally
            {
                accessor.HttpContext = null;
            }
        });
        written.AddRange(capture.Entries);
        return result;
    }

    public Task CallAsync(Func<IServiceProvider, Task> call, string? requestCookies = null) =>
        CallAsync<object?>(async sp => { await call(sp); return null; }, requestCookies);

    /// <summary>Sends one request through the HTTP pipeline, recording the entries appended while it ran.</summary>
    public async Task<HttpResponseMessage> HttpAsync(Func<Task<HttpResponseMessage>> send)
    {
        await BeginAsync();
        var response = await send();
        written.AddRange(await EntriesAfterAsync(SequenceBefore));
        return response;
    }

    /// <summary>The entries appended after <paramref name="sequence"/>, in order.</summary>
    public Task<List<AuditEntry>> EntriesAfterAsync(long sequence) => app.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().AuditEntries.AsNoTracking().Where(e => e.Sequence > sequence).OrderBy(e => e.Sequence).ToListAsync());

    private async Task BeginAsync()
    {
        if (!Called)
        {
            Called = true;
            SequenceBefore = await LastSequenceAsync();
        }
    }

    private Task<long> LastSequenceAsync() => app.WithScopeAsync(async sp =>
        await sp.GetRequiredService<KurocoDbContext>().AuditEntries.MaxAsync(e => (long?)e.Sequence) ?? 0);

    /// <summary>The value of a setup step that must succeed.</summary>
    public static T Ok<T>(Result<T> result)
    {
        Assert.True(result.Succeeded, "Scenario setup failed: " + result.Message);
        return result.Value!;
    }

    public static void Ok(Result result) => Assert.True(result.Succeeded, "Scenario setup failed: " + result.Message);
}
